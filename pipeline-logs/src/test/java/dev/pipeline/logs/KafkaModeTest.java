package dev.pipeline.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code --from-kafka} against a real broker in this JVM ({@link TestBroker}): every fixture
 * shipped entry by entry ({@link LogEntries}) to a topic of three partitions, then aggregated by
 * one run, or two at once in one group, and compared with a run over the files.
 */
@ExtendWith(TestBroker.class)
@Timeout(120)
class KafkaModeTest {
    /** Every format the aggregator reads, and its own. */
    static final List<String> FIXTURES =
            List.of(
                    "apache-error.log",
                    "app-log4j.log",
                    "app.jsonl",
                    "auth.log",
                    "dpkg.log",
                    "hdfs-datanode.log",
                    "history.log",
                    "logcat.txt",
                    "nginx-error.log",
                    "nova-api.log",
                    "own.log",
                    "rfc5424.log",
                    "spark-executor.log");

    @TempDir Path dir;

    private List<Path> fixtures() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<Path> files = new ArrayList<>();
        for (String f : FIXTURES) {
            files.add(Runs.fixture(in, f));
        }
        return files;
    }

    /**
     * Ships the files entry by entry as the shipper example does: the file's name as the key (a
     * file's entries stay in order in one partition), its modification time as the timestamp.
     *
     * @return the records shipped
     */
    static long ship(String bootstrap, String topic, List<Path> files) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<Future<?>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Path f : files) {
                byte[] key = f.getFileName().toString().getBytes(StandardCharsets.UTF_8);
                long mtime = Files.getLastModifiedTime(f).toMillis();
                LogEntries.forEach(
                        f,
                        entry ->
                                acks.add(
                                        producer.send(
                                                new ProducerRecord<>(
                                                        topic, null, mtime, key, entry))));
            }
            for (Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
        return acks.size();
    }

    private static final String[] SETTINGS = {"--min-level", "WARN", "--zone", "UTC"};

    private Runs.Run fromKafka(
            String name, TestBroker broker, String topic, String group, String... more)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--from-kafka",
                                topic,
                                "--group",
                                group,
                                "--bootstrap",
                                broker.bootstrap()));
        args.addAll(Arrays.asList(SETTINGS));
        args.addAll(Arrays.asList(more));
        return Runs.aggregate(dir.resolve(name), args.toArray(String[]::new));
    }

    private static long records(Runs.Run run) {
        return run.result().inputs().stream().mapToLong(in -> in.records).sum();
    }

    private static long[] levels(Runs.Run... runs) {
        long[] sum = new long[Level.values().length];
        for (Runs.Run r : runs) {
            for (Input in : r.result().inputs()) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += in.entriesByLevel[i];
                }
            }
        }
        return sum;
    }

    /** lines, written, filtered, dead-lettered over the runs. */
    private static long[] lines(Runs.Run... runs) {
        long[] sum = new long[4];
        for (Runs.Run r : runs) {
            sum[0] += r.result().read();
            sum[1] += r.result().written();
            sum[2] += r.result().filtered();
            sum[3] += r.result().deadLettered();
        }
        return sum;
    }

    @Test
    void oneRunReadsEveryRecordAndCountsAsTheRunOverTheFiles(TestBroker broker) throws Exception {
        List<Path> files = fixtures();
        Runs.Run fileRun = Runs.aggregate(dir.resolve("files"), concat(SETTINGS, files));
        broker.createTopic("logs-one", 3);
        long shipped = ship(broker.bootstrap(), "logs-one", files);

        Runs.Run run = fromKafka("kafka", broker, "logs-one", "one", "--idle-exit", "2s");

        assertThat(records(run)).isEqualTo(shipped);
        assertThat(run.result().inputs())
                .extracting(in -> in.origin)
                .containsExactly("logs-one-0", "logs-one-1", "logs-one-2");
        assertThat(run.addsUp()).isTrue();
        assertThat(levels(run)).containsExactly(levels(fileRun));
        assertThat(lines(run)).containsExactly(lines(fileRun));
        assertThat(run.output()).containsExactlyInAnyOrderElementsOf(fileRun.output());
        assertThat(run.printed())
                .contains(
                        "Kafka: "
                                + Report.count(shipped, "record")
                                + " consumed from topic logs-one")
                .contains("Ended: no record for 2000 ms (--idle-exit)")
                .contains("(adds up)");
    }

    private static String[] concat(String[] a, List<Path> files) {
        List<String> all = new ArrayList<>(Arrays.asList(a));
        files.forEach(f -> all.add(f.toString()));
        return all.toArray(String[]::new);
    }

    @Test
    void toKafkaProducesTheSameOutputLinesToATopic(TestBroker broker) throws Exception {
        List<Path> files = fixtures();
        broker.createTopic("logs-in", 2);
        broker.createTopic("logs-out", 1);
        ship(broker.bootstrap(), "logs-in", files);

        Runs.Run run =
                fromKafka(
                        "to-kafka",
                        broker,
                        "logs-in",
                        "to",
                        "--idle-exit",
                        "2s",
                        "--to-kafka",
                        "logs-out");

        List<String> produced = new ArrayList<>();
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "reader");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("logs-out"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (produced.size() < run.output().size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    String lines = new String(r.value(), StandardCharsets.UTF_8);
                    produced.addAll(Arrays.asList(lines.split("\n")));
                }
            }
        }
        assertThat(run.output()).isNotEmpty();
        assertThat(produced).containsExactlyInAnyOrderElementsOf(run.output());
    }

    @Test
    void maxRecordsEndsTheRunAfterThatManyRecords(TestBroker broker) throws Exception {
        broker.createTopic("logs-max", 1);
        ship(broker.bootstrap(), "logs-max", List.of(Runs.fixture(dir, "dpkg.log")));
        Runs.Run run = fromKafka("kafka", broker, "logs-max", "max", "--max-records", "10");
        assertThat(records(run)).isEqualTo(10);
        assertThat(run.result().read()).isEqualTo(10);
        assertThat(run.printed()).contains("Ended: --max-records 10 reached");
    }

    @Test
    void twoRunsInOneGroupShareThePartitionsAndTogetherCountAsTheRunOverTheFiles(TestBroker broker)
            throws Exception {
        List<Path> files = fixtures();
        Runs.Run fileRun = Runs.aggregate(dir.resolve("files"), concat(SETTINGS, files));
        broker.createTopic("logs-two", 3);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Runs.Run> a =
                    pool.submit(
                            () -> fromKafka("a", broker, "logs-two", "two", "--idle-exit", "3s"));
            Future<Runs.Run> b =
                    pool.submit(
                            () -> fromKafka("b", broker, "logs-two", "two", "--idle-exit", "3s"));
            // both members hold partitions before anything is shipped
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Arrays.equals(broker.assignment("two"), new int[] {2, 3})) {
                assertThat(System.nanoTime()).as("both members assigned").isLessThan(deadline);
                Thread.sleep(100);
            }
            long shipped = ship(broker.bootstrap(), "logs-two", files);
            Runs.Run runA = a.get(60, TimeUnit.SECONDS);
            Runs.Run runB = b.get(60, TimeUnit.SECONDS);

            assertThat(records(runA)).isPositive();
            assertThat(records(runB)).isPositive();
            assertThat(records(runA) + records(runB)).isEqualTo(shipped);
            List<String> partitions = new ArrayList<>();
            for (Runs.Run r : List.of(runA, runB)) {
                r.result().inputs().forEach(in -> partitions.add(in.origin));
                assertThat(r.addsUp()).isTrue();
            }
            assertThat(partitions)
                    .containsExactlyInAnyOrder("logs-two-0", "logs-two-1", "logs-two-2");
            assertThat(levels(runA, runB)).containsExactly(levels(fileRun));
            assertThat(lines(runA, runB)).containsExactly(lines(fileRun));
            List<String> output = new ArrayList<>(runA.output());
            output.addAll(runB.output());
            assertThat(output).containsExactlyInAnyOrderElementsOf(fileRun.output());
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
