package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.PipelineException;
import dev.pipeline.PipelineRun;
import dev.pipeline.kafka.MemberProcess.Processed;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * The broker (a child JVM, {@link ChildProcessBroker}) killed with {@code SIGKILL} during a run of
 * {@code KafkaSource → map → KafkaSink} on that same broker. When it comes back the run recovers:
 * every record is done and the committed offsets reach the end offsets. When it stays down longer
 * than the sink's {@code delivery.timeout.ms}, the run fails with an error naming the output topic.
 * In both, no offset is committed past a record whose output the broker had not acknowledged.
 *
 * <p>A record is done when the sink's output for it is acknowledged; each output carries the
 * input's partition and offset, so the output topic read back after the run tells which inputs
 * were done.
 */
class BrokerRestartTest {

    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3_000;

    private static ChildProcessBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ChildProcessBroker.create();
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The output of one input record: where it came from, and its value upper-cased. */
    private record Out(int partition, long offset, String value) {}

    @Test
    @Timeout(150)
    void aRunRecoversWhenTheBrokerComesBackAndCommitsEverythingDone() throws Exception {
        long t0 = System.nanoTime();
        ensureRunning();
        String bootstrap = broker.bootstrapServers();
        Map<TopicPartition, Long> ends = input(bootstrap, "restart-in", "restart-out");
        KafkaSource<String, String> source = source(bootstrap, "restart-in", "restart");
        // default delivery timeout (2 minutes): sends wait out the broker's absence
        KafkaSink<Out> sink = sink(bootstrap, "restart-out", new Properties());

        PipelineRun<Void> run =
                source.pipeline().map("work", BrokerRestartTest::work).start("to-kafka", sink);
        try {
            ScaleAwait.until(
                    Duration.ofSeconds(60),
                    "1,000 records done",
                    () -> source.stats().recordsDone() >= 1_000);
            Map<TopicPartition, Long> committedBeforeKill =
                    KafkaTestClients.committedOffsets(bootstrap, "restart");
            long killedAt = System.nanoTime();
            broker.kill();
            long doneAtKill = source.stats().recordsDone();
            Thread.sleep(3_000);
            broker.start();
            long restartedAt = System.nanoTime();
            ScaleAwait.until(
                    Duration.ofSeconds(60),
                    "every record committed after the restart",
                    () -> KafkaTestClients.committedOffsets(bootstrap, "restart").equals(ends),
                    () ->
                            "committed "
                                    + KafkaTestClients.committedOffsets(bootstrap, "restart")
                                    + ", ends "
                                    + ends
                                    + ", "
                                    + source.stats());
            long recoveredAt = System.nanoTime();
            assertThat(run.isDone()).as("the run goes on").isFalse();
            run.cancel();
            assertThatThrownBy(() -> run.await(Duration.ofSeconds(30)))
                    .isInstanceOf(CancellationException.class);

            Map<TopicPartition, Long> committed =
                    KafkaTestClients.committedOffsets(bootstrap, "restart");
            ScaleTally tally = new ScaleTally(ends, outputs(bootstrap, "restart-out"));
            System.out.printf(
                    "broker restart: %d done at the kill, down %d ms (restart included),"
                            + " committed = end offsets %d ms after the restart; %d duplicates"
                            + " in the output; committed before the kill %s; %s; %d ms%n",
                    doneAtKill,
                    (restartedAt - killedAt) / 1_000_000,
                    (recoveredAt - restartedAt) / 1_000_000,
                    tally.duplicates(),
                    committedBeforeKill,
                    source.stats(),
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(committed).isEqualTo(ends);
            assertThat(tally.missing()).as("inputs without an acknowledged output").isZero();
            assertThat(tally.unknown()).isZero();
            assertThat(tally.committedBeyondProcessed(committedBeforeKill)).isEmpty();
            assertThat(tally.committedBeyondProcessed(committed)).isEmpty();
        } finally {
            run.cancel();
        }
    }

    @Test
    @Timeout(150)
    void aRunFailsWithAClearErrorWhenTheBrokerStaysDownPastTheDeliveryTimeout() throws Exception {
        long t0 = System.nanoTime();
        ensureRunning();
        String bootstrap = broker.bootstrapServers();
        Map<TopicPartition, Long> ends = input(bootstrap, "down-in", "down-out");
        KafkaSource<String, String> source = source(bootstrap, "down-in", "down");
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        producer.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        producer.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        KafkaSink<Out> sink = sink(bootstrap, "down-out", producer);

        PipelineRun<Void> run =
                source.pipeline().map("work", BrokerRestartTest::work).start("to-kafka", sink);
        try {
            ScaleAwait.until(
                    Duration.ofSeconds(60),
                    "1,000 records done",
                    () -> source.stats().recordsDone() >= 1_000);
            long killedAt = System.nanoTime();
            broker.kill();

            assertThatThrownBy(() -> run.await(Duration.ofSeconds(60)))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("to-kafka")
                    .hasMessageContaining("down-out")
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            long failedAt = System.nanoTime();
            String message = messageOf(run);

            // back up, to read what was committed and what the sink had written
            broker.start();
            Map<TopicPartition, Long> committed =
                    KafkaTestClients.committedOffsets(bootstrap, "down");
            List<Processed> done = outputs(bootstrap, "down-out");
            ScaleTally tally = new ScaleTally(ends, done);
            System.out.printf(
                    "broker down: failed %d ms after the kill with \"%s\"; committed %s; %d inputs"
                            + " with an acknowledged output; %s; %d ms%n",
                    (failedAt - killedAt) / 1_000_000,
                    message,
                    committed,
                    done.size(),
                    source.stats(),
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(Duration.ofNanos(failedAt - killedAt))
                    .as("failed after the delivery timeout")
                    .isGreaterThan(Duration.ofSeconds(4));
            assertThat(committed).as("something was committed before the kill").isNotEmpty();
            assertThat(tally.committedBeyondProcessed(committed)).isEmpty();
            assertThat(tally.unknown()).isZero();
        } finally {
            run.cancel();
        }
    }

    @Test
    @Timeout(150)
    void aSourceWithoutASinkFailsAfterItsConnectTimeoutWhenTheBrokerStaysDown() throws Exception {
        ensureRunning();
        String bootstrap = broker.bootstrapServers();
        input(bootstrap, "alone-in", "alone-out");
        KafkaSource<String, String> source =
                KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                        .bootstrapServers(bootstrap)
                        .groupId("alone")
                        .topics("alone-in")
                        .commitInterval(Duration.ofMillis(200))
                        .connectTimeout(Duration.ofSeconds(6))
                        .build();
        java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
        PipelineRun<Void> run =
                source.pipeline()
                        .start(
                                "count",
                                () ->
                                        new dev.pipeline.Sink.Writer<
                                                KafkaRecord<String, String>>() {
                                            @Override
                                            public void write(
                                                    KafkaRecord<String, String> r,
                                                    dev.pipeline.Sink.Ack ack) {
                                                seen.incrementAndGet();
                                                ack.done();
                                            }

                                            @Override
                                            public void close() {}
                                        });
        try {
            ScaleAwait.until(
                    Duration.ofSeconds(60), "every record seen", () -> seen.get() >= RECORDS);
            long killedAt = System.nanoTime();
            broker.kill();
            assertThatThrownBy(() -> run.await(Duration.ofSeconds(60)))
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("kafka-source")
                    .cause()
                    .isInstanceOf(org.apache.kafka.common.KafkaException.class)
                    .hasMessageContaining("no Kafka broker at " + bootstrap)
                    .hasMessageContaining("connect timeout of PT6S")
                    .hasMessageContaining("topic alone-in partitions [alone-in-0");
            long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
            System.out.printf("source alone: failed %d s after the kill%n", seconds);
            assertThat(seconds)
                    .as("failed about the connect timeout after the kill")
                    .isBetween(5L, 40L);
        } finally {
            run.cancel();
            broker.start();
        }
    }

    private static void ensureRunning() throws Exception {
        if (!broker.isAlive()) {
            broker.start();
        }
    }

    /** Creates the topics and writes the input; returns its end offsets. */
    private static Map<TopicPartition, Long> input(String bootstrap, String in, String out)
            throws Exception {
        KafkaTestClients.createTopic(bootstrap, in, PARTITIONS);
        KafkaTestClients.createTopic(bootstrap, out, PARTITIONS);
        KafkaTestClients.produceStrings(
                bootstrap, in, IntStream.range(0, RECORDS).mapToObj(i -> "b" + i).toList());
        return KafkaTestClients.endOffsets(bootstrap, in);
    }

    private static KafkaSource<String, String> source(
            String bootstrap, String topic, String group) {
        return KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                .bootstrapServers(bootstrap)
                .groupId(group)
                .topics(topic)
                .commitInterval(Duration.ofMillis(200))
                .build();
    }

    private static KafkaSink<Out> sink(String bootstrap, String topic, Properties producer) {
        Properties p = new Properties();
        p.putAll(producer);
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        return KafkaSink.<Out, String, String>of(
                p,
                topic,
                StringSerializer::new,
                StringSerializer::new,
                o -> null,
                o -> o.partition() + " " + o.offset() + " " + o.value());
    }

    /** About 1,000 records/s. */
    private static Out work(KafkaRecord<String, String> r) {
        LockSupport.parkNanos(1_000_000);
        return new Out(r.partition(), r.offset(), r.value().toUpperCase());
    }

    /** The inputs whose outputs the broker holds, read back from the output topic. */
    private static List<Processed> outputs(String bootstrap, String topic) throws Exception {
        List<Processed> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestClients.readAll(bootstrap, topic)) {
            String[] fields = new String(r.value(), StandardCharsets.UTF_8).split(" ");
            out.add(new Processed("sink", Integer.parseInt(fields[0]), Long.parseLong(fields[1])));
        }
        return out;
    }

    private static String messageOf(PipelineRun<Void> run) throws InterruptedException {
        try {
            run.await();
            return "(no failure)";
        } catch (PipelineException e) {
            return e.getMessage();
        }
    }
}
