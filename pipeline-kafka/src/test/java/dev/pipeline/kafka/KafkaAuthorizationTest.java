package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.PipelineException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Authorisation failures against a broker with an authoriser: the source's stage fails with the
 * consumer's own exception, naming what the client may not use (the topic, then the group), at
 * once rather than after a timeout; nothing is committed.
 */
@Timeout(120)
class KafkaAuthorizationTest {
    private static InProcessBroker broker;
    private static String client; // the listener whose connections are User:CLIENT

    @BeforeAll
    static void startBroker() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        client = "127.0.0.1:" + port;
        broker =
                InProcessBroker.start(
                        p -> {
                            p.setProperty(
                                    "listeners",
                                    p.getProperty("listeners") + ",CLIENT://" + client);
                            p.setProperty(
                                    "advertised.listeners",
                                    p.getProperty("advertised.listeners") + ",CLIENT://" + client);
                            p.setProperty(
                                    "listener.security.protocol.map",
                                    p.getProperty("listener.security.protocol.map")
                                            + ",CLIENT:PLAINTEXT");
                            p.setProperty(
                                    "principal.builder.class",
                                    ListenerPrincipalBuilder.class.getName());
                            p.setProperty(
                                    "authorizer.class.name",
                                    "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                            p.setProperty("super.users", "User:PLAINTEXT;User:CONTROLLER");
                        });
        KafkaTestClients.createTopic(broker.bootstrapServers(), "secret", 2);
        KafkaTestClients.produceStrings(
                broker.bootstrapServers(),
                "secret",
                IntStream.range(0, 20).mapToObj(i -> "s" + i).toList());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KafkaSource<String, String> source(String group) {
        return KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                .bootstrapServers(client)
                .groupId(group)
                .topics("secret")
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void aTopicTheClientMayNotReadFailsTheSourceNamingTheTopic() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> source("no-topic").pipeline().take(5).toList())
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("kafka-source")
                .rootCause()
                .isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining("secret");
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("at once, not after the connect timeout")
                .isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aGroupTheClientMayNotUseFailsTheSourceNamingTheGroup() throws Exception {
        allow(ResourceType.TOPIC, "secret", AclOperation.READ);
        allow(ResourceType.TOPIC, "secret", AclOperation.DESCRIBE);
        assertThatThrownBy(() -> source("not-mine").pipeline().take(5).toList())
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("kafka-source")
                .rootCause()
                .isInstanceOf(GroupAuthorizationException.class)
                .hasMessageContaining("not-mine");
        // allowed the group too, the same client reads the topic
        allow(ResourceType.GROUP, "mine", AclOperation.READ);
        assertThat(source("mine").pipeline().take(20).toList()).hasSize(20);
    }

    private static void allow(ResourceType type, String name, AclOperation op) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()))) {
            admin.createAcls(
                            List.of(
                                    new AclBinding(
                                            new ResourcePattern(type, name, PatternType.LITERAL),
                                            new AccessControlEntry(
                                                    "User:CLIENT",
                                                    "*",
                                                    op,
                                                    AclPermissionType.ALLOW))))
                    .all()
                    .get();
        }
        Thread.sleep(500); // the authoriser applies new ACLs from the metadata log
    }
}
