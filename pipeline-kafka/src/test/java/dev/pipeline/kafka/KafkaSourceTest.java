package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.PipelineException;
import dev.pipeline.PipelineRun;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

@ExtendWith(KafkaBroker.class)
class KafkaSourceTest {

    private static KafkaSource.Builder<String, String> strings(String bootstrap) {
        return KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                .bootstrapServers(bootstrap);
    }

    @Test
    @Timeout(60)
    void aSlowPipelinePausesAndResumesWithoutLeavingTheGroup(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopic(bootstrap, "slow", 2);
        KafkaTestClients.produceStrings(
                bootstrap, "slow", IntStream.range(0, 4_000).mapToObj(i -> "s" + i).toList());
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        // a member that does not poll for 6 s leaves the group; the run lasts 10 s
        consumer.setProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "6000");
        consumer.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        consumer.setProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        KafkaSource<String, String> source =
                strings(bootstrap).properties(consumer).groupId("slow").topics("slow").build();

        // about 100 records/s
        PipelineRun<Void> run =
                source.pipeline()
                        .capacity(8)
                        .peek("slow", r -> Thread.sleep(10))
                        .capacity(8)
                        .start();
        Thread.sleep(10_000);
        assertThat(run.isDone()).isFalse();
        KafkaSource.Stats during = source.stats();
        String status =
                run.metrics().stages().stream()
                        .filter(st -> st.name().equals("kafka-source"))
                        .findFirst()
                        .orElseThrow()
                        .status();
        String report = run.metrics().report();
        run.cancel();
        System.out.println("slow pipeline, source status: " + status);
        System.out.println("slow pipeline, after 10 s: " + during);
        assertThatThrownBy(run::await).isInstanceOf(CancellationException.class);
        // the cancelled source closed its consumer, which left the group
        assertThat(KafkaTestClients.groupMembers(bootstrap, "slow")).isZero();

        // the status line: lag per assigned partition (known after the first fetches), and the
        // paused time so far, which is most of the run
        assertThat(status).matches("lag slow-0=(\\d+|\\?) slow-1=(\\d+|\\?); paused \\d+ ms.*");
        assertThat(status).containsPattern("slow-\\d=\\d+");
        assertThat(Long.parseLong(status.replaceAll(".*paused (\\d+) ms.*", "$1")))
                .isGreaterThan(5_000);
        assertThat(report).contains("lag slow-0=");
        // commits went on while paused: only records done, never more than were sent
        assertThat(during.commits()).as("%s", during).isPositive();
        long committed =
                during.committedOffsets().values().stream().mapToLong(Long::longValue).sum();
        assertThat(committed).as("%s", during).isBetween(1L, during.recordsDone());
        assertThat(during.rebalances()).as("assignments in %s", during).isEqualTo(1);
        assertThat(during.polls()).as("%s", during).isGreaterThan(50);
        assertThat(during.partitionsRevoked()).as("revocations in %s", during).isZero();
        assertThat(during.pauses()).as("%s", during).isGreaterThan(10);
        assertThat(during.resumes()).as("%s", during).isGreaterThan(10);
        assertThat(during.pausedTime()).as("%s", during).isGreaterThan(Duration.ofSeconds(5));
        assertThat(during.maxBuffered()).as("%s", during).isLessThanOrEqualTo(50);
        // only what the channels and one poll hold was taken from the broker
        assertThat(during.recordsPolled() - during.recordsSent())
                .as("%s", during)
                .isLessThanOrEqualTo(50);
        assertThat(during.recordsSent()).as("%s", during).isBetween(300L, 1_300L);
    }

    @Test
    @Timeout(30)
    void anUnreachableBrokerFailsTheRunAfterTheConnectTimeout() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        KafkaSource<String, String> source =
                strings("127.0.0.1:" + closedPort)
                        .groupId("nobody")
                        .topics("anything")
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> source.pipeline().toList())
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("no Kafka broker at 127.0.0.1:" + closedPort)
                .hasMessageContaining("topic anything")
                .hasMessageContaining("PT2S");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    @Timeout(30)
    void aMissingTopicFailsTheRun(InProcessBroker broker) {
        KafkaSource<String, String> source =
                strings(broker.bootstrapServers()).groupId("g").topics("no-such-topic").build();

        assertThatThrownBy(() -> source.pipeline().toList())
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("topic no-such-topic does not exist");
    }

    @Test
    void theBuilderRefusesAnIncompleteOrAutoCommittingConfiguration() {
        assertThatThrownBy(() -> strings("127.0.0.1:1").topics("t").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group.id");
        assertThatThrownBy(
                        () ->
                                KafkaSource.builder(
                                                StringDeserializer::new, StringDeserializer::new)
                                        .groupId("g")
                                        .topics("t")
                                        .build())
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> strings("127.0.0.1:1").groupId("g").build())
                .hasMessageContaining("no topic");
        Properties auto = new Properties();
        auto.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        assertThatThrownBy(
                        () ->
                                strings("127.0.0.1:1")
                                        .properties(auto)
                                        .groupId("g")
                                        .topics("t")
                                        .build())
                .hasMessageContaining("enable.auto.commit");
        assertThatThrownBy(() -> strings("x:1").pollTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
