package dev.pipeline.kafka;

import dev.pipeline.PipelineRun;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * One member of a consumer group in its own JVM, for the tests that kill a member: {@code source →
 * map → record}. Started by {@link MemberProcess}.
 *
 * <p>Arguments: {@code bootstrap group topic processedFile commitsFile workMicros}.
 *
 * <ul>
 *   <li>Each record's work is {@code workMicros} of waiting, then upper-casing its value; the
 *       terminal then appends {@code "PARTITION OFFSET\n"} to {@code processedFile} with one
 *       unbuffered write, so a line in the file means the record was processed (a SIGKILL leaves at
 *       most a torn last line, which readers ignore).
 *   <li>A daemon thread appends {@code "PARTITION OFFSET\n"} to {@code commitsFile} each time
 *       {@link KafkaSource#stats()} shows a new committed position of a partition. The file lags
 *       the real commits by at most one look (10 ms), never leads them: a committed position read
 *       from it is at most the real one.
 * </ul>
 *
 * <p>SIGTERM cancels the run (the source closes its consumer, leaving the group) and exits; SIGKILL
 * is the crash under test.
 */
final class MemberMain {

    private MemberMain() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String group = args[1];
        String topic = args[2];
        Path processedFile = Path.of(args[3]);
        Path commitsFile = Path.of(args[4]);
        long workNanos = Long.parseLong(args[5]) * 1_000;

        Properties consumer = new Properties();
        // a killed member's partitions move after this long without its heartbeats (the broker's
        // group.min.session.timeout.ms is 6 s)
        consumer.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        consumer.setProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        consumer.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        KafkaSource<String, String> source =
                KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                        .bootstrapServers(bootstrap)
                        .groupId(group)
                        .topics(topic)
                        .properties(consumer)
                        .name("member-source")
                        // the default 1 s: also how long a revocation waits for in-flight
                        // records that make no progress, so a stalled JVM does not cut it short
                        .commitInterval(Duration.ofSeconds(1))
                        .build();

        try (OutputStream processed = new FileOutputStream(processedFile.toFile(), true);
                OutputStream commits = new FileOutputStream(commitsFile.toFile(), true)) {
            Thread commitLog = new Thread(() -> logCommits(source, commits), "commit-log");
            commitLog.setDaemon(true);
            commitLog.start();

            PipelineRun<Void> run =
                    source.pipeline()
                            .capacity(16)
                            .map(
                                    "work",
                                    r -> {
                                        LockSupport.parkNanos(workNanos);
                                        return new Done(
                                                r.partition(), r.offset(), r.value().toUpperCase());
                                    })
                            .capacity(16)
                            .peek(
                                    "record",
                                    d ->
                                            processed.write(
                                                    (d.partition() + " " + d.offset() + "\n")
                                                            .getBytes(StandardCharsets.US_ASCII)))
                            .start();
            CountDownLatch ended = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        run.cancel();
                                        try {
                                            ended.await();
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    }));
            try {
                run.await();
            } catch (CancellationException e) {
                // SIGTERM: the way a member is stopped
            } finally {
                ended.countDown();
            }
        }
    }

    /** What the work made of a record. */
    private record Done(int partition, long offset, String value) {}

    private static void logCommits(KafkaSource<?, ?> source, OutputStream commits) {
        Map<Integer, Long> logged = new HashMap<>();
        try {
            while (true) {
                for (Map.Entry<Integer, Long> e : committedByPartition(source).entrySet()) {
                    if (!e.getValue().equals(logged.get(e.getKey()))) {
                        logged.put(e.getKey(), e.getValue());
                        commits.write(
                                (e.getKey() + " " + e.getValue() + "\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                    }
                }
                Thread.sleep(10);
            }
        } catch (IOException | InterruptedException e) {
            // the JVM is ending
        }
    }

    /** The committed position of each partition this member has committed, from its stats. */
    static Map<Integer, Long> committedByPartition(KafkaSource<?, ?> source) {
        Map<Integer, Long> out = new HashMap<>();
        source.stats().committedOffsets().forEach((tp, offset) -> out.put(tp.partition(), offset));
        return out;
    }
}
