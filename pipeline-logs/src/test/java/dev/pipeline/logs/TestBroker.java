package dev.pipeline.logs;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A one-node KRaft broker inside the test JVM, shared by the JVM's tests: {@code
 * @ExtendWith(TestBroker.class)}, then a {@link TestBroker} parameter. The same broker as
 * pipeline-kafka's tests start ({@code KafkaBroker}, {@code BrokerConfig}), trimmed: that module's
 * test classes are package-private and not published as a test-jar (see this module's pom).
 * JUnit closes it when every test class has run.
 */
final class TestBroker implements ParameterResolver, AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TestBroker.class);

    private final Path logDir;
    private final int port;
    private final KafkaRaftServer server;

    /** The extension's instance (JUnit makes it); brokers are made by {@link #start}. */
    TestBroker() {
        this.logDir = null;
        this.port = 0;
        this.server = null;
    }

    private TestBroker(Path logDir, int port, KafkaRaftServer server) {
        this.logDir = logDir;
        this.port = port;
        this.server = server;
    }

    /** {@code 127.0.0.1:PORT}. */
    String bootstrap() {
        return LOOPBACK + ":" + port;
    }

    /** Creates a topic with {@code partitions} partitions. */
    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin(bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * How many members {@code group} has that were given partitions, and how many partitions in
     * all: {@code {members, partitions}}.
     */
    int[] assignment(String group) throws Exception {
        try (Admin admin = admin(bootstrap())) {
            var members =
                    admin.describeConsumerGroups(List.of(group))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(group)
                            .members();
            int withPartitions = 0;
            int partitions = 0;
            for (var m : members) {
                int n = m.assignment().topicPartitions().size();
                partitions += n;
                withPartitions += n > 0 ? 1 : 0;
            }
            return new int[] {withPartitions, partitions};
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        TestBroker.class,
                        k -> {
                            try {
                                return start();
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "could not start the in-process Kafka broker", e);
                            }
                        },
                        TestBroker.class);
    }

    private static TestBroker start() throws Exception {
        Path logDir = Files.createTempDirectory("kafka-logs-test-");
        int port = freePort();
        int controllerPort = freePort();
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .run();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
        p.setProperty(
                "listeners",
                "PLAINTEXT://"
                        + LOOPBACK
                        + ":"
                        + port
                        + ",CONTROLLER://"
                        + LOOPBACK
                        + ":"
                        + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "2");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "2");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "2");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        TestBroker broker = new TestBroker(logDir, port, server);
        try {
            awaitReady(broker.bootstrap());
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private static void awaitReady(String bootstrap) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Admin admin = admin(bootstrap)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(1, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("broker at " + bootstrap + " not ready");
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> paths = Files.walk(logDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
