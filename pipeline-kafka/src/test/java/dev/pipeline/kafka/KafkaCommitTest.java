package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.ErrorPolicy;
import dev.pipeline.PipelineException;
import dev.pipeline.PipelineRun;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** At-least-once offset commits of {@link KafkaSource}, end to end through the runtime. */
@ExtendWith(KafkaBroker.class)
class KafkaCommitTest {

    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private static KafkaSource<String, String> strings(
            String bootstrap, String topic, String group) {
        return KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                .bootstrapServers(bootstrap)
                .groupId(group)
                .topics(topic)
                .name(topic)
                .commitInterval(COMMIT_INTERVAL)
                .build();
    }

    private static KafkaSink<String> stringSink(String bootstrap, String topic, int lingerMs) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        return KafkaSink.<String, String, String>of(
                p, topic, StringSerializer::new, StringSerializer::new, v -> v, v -> v);
    }

    private static List<String> produce(String bootstrap, String topic, int partitions, int n)
            throws Exception {
        KafkaTestClients.createTopic(bootstrap, topic, partitions);
        List<String> values = IntStream.range(0, n).mapToObj(i -> topic + "-" + i).toList();
        KafkaTestClients.produceStrings(bootstrap, topic, values);
        return values;
    }

    @Test
    @Timeout(60)
    void tenThousandRecordsThroughParallelMapAndSinkCommitTheEndOffsets(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        List<String> values = produce(bootstrap, "c-e2e-in", 4, 10_000);
        KafkaTestClients.createTopic(bootstrap, "c-e2e-out", 4);
        KafkaSource<String, String> source = strings(bootstrap, "c-e2e-in", "c-e2e");

        // take right after the source: the run ends by itself once the 10,000 are handed out
        // (the stop travels upstream to the source, which then waits for the records in flight
        // to be acknowledged by the sink and commits them)
        long written =
                stringSink(bootstrap, "c-e2e-out", 5)
                        .writeAll(
                                source.pipeline()
                                        .take(values.size())
                                        .mapParallelUnordered(4, r -> r.value().toUpperCase()));

        assertThat(written).isEqualTo(10_000);
        assertThat(
                        KafkaTestClients.readAll(bootstrap, "c-e2e-out").stream()
                                .map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrderElementsOf(
                        values.stream().map(String::toUpperCase).toList());
        Map<TopicPartition, Long> ends = KafkaTestClients.endOffsets(bootstrap, "c-e2e-in");
        assertThat(KafkaTestClients.committedOffsets(bootstrap, "c-e2e")).isEqualTo(ends);
        KafkaSource.Stats stats = source.stats();
        assertThat(stats.committedOffsets()).as("%s", stats).isEqualTo(ends);
        assertThat(stats.recordsDone()).as("%s", stats).isEqualTo(10_000);
        assertThat(stats.commits()).as("%s", stats).isPositive();
        assertThat(KafkaTestClients.groupMembers(bootstrap, "c-e2e")).isZero();
    }

    @Test
    @Timeout(60)
    void aFailedRunCommitsOnlyDoneRecordsAndTheNextRunReadsTheRest(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-half", 2, 2_000);
        KafkaSource<String, String> source = strings(bootstrap, "c-half", "c-half");
        Set<String> done = ConcurrentHashMap.newKeySet();
        AtomicInteger mapped = new AtomicInteger();

        // out-of-order slow map; the terminal marks a record done when its action returns; the
        // 700th record mapped fails the run with many others in flight
        assertThatThrownBy(
                        () ->
                                source.pipeline()
                                        .mapParallelUnordered(
                                                8,
                                                r -> {
                                                    if (mapped.incrementAndGet() == 700) {
                                                        throw new IllegalStateException("boom");
                                                    }
                                                    Thread.sleep(
                                                            ThreadLocalRandom.current().nextInt(3));
                                                    return r;
                                                })
                                        .forEach(r -> done.add(key(r.partition(), r.offset()))))
                .isInstanceOf(PipelineException.class)
                .hasRootCauseMessage("boom");

        Map<TopicPartition, Long> committed =
                KafkaTestClients.committedOffsets(bootstrap, "c-half");
        assertThat(committed).as("something was committed before the failure").isNotEmpty();
        committed.forEach(
                (tp, position) -> {
                    for (long o = 0; o < position; o++) {
                        assertThat(done)
                                .as("committed %s at %s past a record not done", tp, position)
                                .contains(key(tp.partition(), o));
                    }
                });

        // the second run reads from the committed offsets to the end
        Map<TopicPartition, Long> ends = KafkaTestClients.endOffsets(bootstrap, "c-half");
        long rest = 0;
        for (var e : ends.entrySet()) {
            rest += e.getValue() - committed.getOrDefault(e.getKey(), 0L);
        }
        Set<String> second = ConcurrentHashMap.newKeySet();
        Map<Integer, Long> firstSeen = new ConcurrentHashMap<>();
        PipelineRun<Void> run =
                source.pipeline()
                        .peek(
                                r -> {
                                    second.add(key(r.partition(), r.offset()));
                                    firstSeen.merge(r.partition(), r.offset(), Math::min);
                                })
                        .start();
        try {
            long expected = rest;
            eventually(() -> second.size() == expected);
            eventually(() -> ends.equals(KafkaTestClients.committedOffsets(bootstrap, "c-half")));
        } finally {
            run.cancel();
        }

        committed.forEach(
                (tp, position) -> {
                    if (position < ends.get(tp)) {
                        assertThat(firstSeen.get(tp.partition())).isEqualTo(position);
                    }
                });
        Set<String> all = ConcurrentHashMap.newKeySet();
        all.addAll(done);
        all.addAll(second);
        assertThat(all).hasSize(2_000);
    }

    @Test
    @Timeout(60)
    void outOfOrderCompletionsCommitTheContiguousPrefixOnly(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-order", 1, 200);
        TopicPartition tp = new TopicPartition("c-order", 0);
        KafkaSource<String, String> source = strings(bootstrap, "c-order", "c-order");
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch hundredth = new CountDownLatch(1);
        AtomicInteger consumed = new AtomicInteger();

        PipelineRun<Void> run =
                source.pipeline()
                        .mapParallelUnordered(
                                8,
                                r -> {
                                    if (r.offset() == 0) {
                                        first.await();
                                    } else if (r.offset() == 100) {
                                        hundredth.await();
                                    }
                                    return r;
                                })
                        .peek(r -> consumed.incrementAndGet())
                        .start();
        try {
            eventually(() -> consumed.get() == 198);
            Thread.sleep(5 * COMMIT_INTERVAL.toMillis());
            // 198 records done, but not offset 0: nothing may be committed
            assertThat(KafkaTestClients.committedOffsets(bootstrap, "c-order")).isEmpty();
            assertThat(source.stats().committedOffsets()).doesNotContainKey(tp);

            first.countDown();
            eventually(() -> Long.valueOf(100).equals(committed(bootstrap, "c-order", tp)));
            Thread.sleep(5 * COMMIT_INTERVAL.toMillis());
            assertThat(committed(bootstrap, "c-order", tp)).isEqualTo(100);

            hundredth.countDown();
            eventually(() -> Long.valueOf(200).equals(committed(bootstrap, "c-order", tp)));
        } finally {
            first.countDown();
            hundredth.countDown();
            run.cancel();
        }
    }

    @Test
    @Timeout(60)
    void partitionOrderIsKeptThroughAMapParallelByPartition(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-partition-order", 4, 4_000);
        KafkaSource<String, String> source =
                strings(bootstrap, "c-partition-order", "c-partition-order");
        java.util.concurrent.ConcurrentLinkedQueue<KafkaRecord<String, String>> seen =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        // four workers, one partition each at a time: each partition's records in offset order
        source.pipeline()
                .take(4_000)
                .mapParallelByKey(
                        4,
                        KafkaRecord::partition,
                        r -> {
                            if (r.offset() % 97 == 0) {
                                Thread.sleep(1); // uneven work across the workers
                            }
                            return r;
                        })
                .forEach(seen::add);
        Map<Integer, List<Long>> byPartition = new java.util.TreeMap<>();
        for (KafkaRecord<String, String> r : seen) {
            byPartition
                    .computeIfAbsent(r.partition(), p -> new java.util.ArrayList<>())
                    .add(r.offset());
        }
        assertThat(byPartition).hasSize(4);
        byPartition.forEach((p, offsets) -> assertThat(offsets).as("partition %d", p).isSorted());
        assertThat(byPartition.values().stream().mapToInt(List::size).sum()).isEqualTo(4_000);
    }

    @Test
    @Timeout(60)
    void aTakeCommitsExactlyTheRecordsItLetThrough(InProcessBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-take", 1, 500);
        KafkaSource<String, String> source = strings(bootstrap, "c-take", "c-take");

        // the take stops the source with records of the topic in the channels behind it: those
        // were never processed, so they must not be committed
        List<KafkaRecord<String, String>> first = source.pipeline().take(10).toList();

        assertThat(first)
                .extracting(KafkaRecord::offset)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(KafkaTestClients.committedOffsets(bootstrap, "c-take"))
                .containsExactly(Map.entry(new TopicPartition("c-take", 0), 10L));
        assertThat(source.pipeline().take(1).toList().get(0).offset()).isEqualTo(10);
    }

    @Test
    @Timeout(60)
    void recordsDroppedByAFilterAreCommitted(InProcessBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-filter", 2, 300);
        KafkaSource<String, String> source = strings(bootstrap, "c-filter", "c-filter");
        AtomicInteger kept = new AtomicInteger();

        // the terminal sees none of the records of partition 0, and every other one of 1
        PipelineRun<Void> run =
                source.pipeline()
                        .filter(r -> r.partition() == 1 && r.offset() % 2 == 0)
                        .peek(r -> kept.incrementAndGet())
                        .start();
        try {
            Map<TopicPartition, Long> ends = KafkaTestClients.endOffsets(bootstrap, "c-filter");
            eventually(() -> ends.equals(KafkaTestClients.committedOffsets(bootstrap, "c-filter")));
            assertThat(kept.get()).isEqualTo((ends.get(new TopicPartition("c-filter", 1)) + 1) / 2);
        } finally {
            run.cancel();
        }
    }

    @Test
    @Timeout(60)
    void aSourceOffsetIsCommittedOnlyOnceTheSinkRecordIsAcknowledged(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-ack-in", 1, 100);
        KafkaTestClients.createTopic(bootstrap, "c-ack-out", 1);
        TopicPartition tp = new TopicPartition("c-ack-in", 0);
        KafkaSource<String, String> source = strings(bootstrap, "c-ack-in", "c-ack");
        // the producer holds its batch for 3 s: the broker acknowledges nothing before
        KafkaSink<String> sink = stringSink(bootstrap, "c-ack-out", 3_000);

        PipelineRun<Void> run = source.pipeline().map(KafkaRecord::value).start("to-kafka", sink);
        try {
            eventually(() -> source.stats().recordsSent() == 100);
            Thread.sleep(10 * COMMIT_INTERVAL.toMillis());
            assertThat(source.stats().recordsDone()).isZero();
            assertThat(KafkaTestClients.committedOffsets(bootstrap, "c-ack")).isEmpty();

            eventually(() -> Long.valueOf(100).equals(committed(bootstrap, "c-ack", tp)));
            assertThat(KafkaTestClients.endOffsets(bootstrap, "c-ack-out"))
                    .containsEntry(new TopicPartition("c-ack-out", 0), 100L);
        } finally {
            run.cancel();
        }
    }

    @Test
    @Timeout(60)
    void aRevocationWaitsForTheRecordsInFlightSoTheNewOwnerReadsNoneTwice(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-rebalance", 4, 2_000);
        KafkaSource<String, String> first = strings(bootstrap, "c-rebalance", "c-rebalance");
        KafkaSource<String, String> second = strings(bootstrap, "c-rebalance", "c-rebalance");
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        // about 500 records/s per member
        dev.pipeline.StageConsumer<KafkaRecord<String, String>> slow =
                r -> {
                    if (seen.merge(key(r.partition(), r.offset()), 1, Integer::sum) > 1) {
                        duplicates.incrementAndGet();
                    }
                    Thread.sleep(2);
                };

        PipelineRun<Void> a = first.pipeline().capacity(16).peek(slow).start();
        PipelineRun<Void> b = null;
        try {
            eventually(() -> seen.size() >= 200);
            b = second.pipeline().capacity(16).peek(slow).start();
            eventually(() -> seen.size() == 2_000);
            KafkaSource.Stats statsA = first.stats();
            KafkaSource.Stats statsB = second.stats();

            assertThat(statsA.partitionsRevoked()).as("%s", statsA).isPositive();
            assertThat(statsB.recordsDone()).as("%s", statsB).isPositive();
            // the revoked partitions' records in flight were done and committed before the
            // second member got them, and it started there
            assertThat(duplicates).hasValue(0);
        } finally {
            a.cancel();
            if (b != null) {
                b.cancel();
            }
        }
    }

    @Test
    @Timeout(60)
    void aWriteTheSinkRefusesIsSkippedByItsPolicyAndItsSourceOffsetCommitted(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        produce(bootstrap, "c-refused-in", 1, 10);
        KafkaTestClients.createTopic(bootstrap, "c-refused-out", 1);
        KafkaSource<String, String> source = strings(bootstrap, "c-refused-in", "c-refused");
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // the key function refuses one item: the write throws, and the terminal's policy skips it
        KafkaSink<String> sink =
                KafkaSink.<String, String, String>of(
                        p,
                        "c-refused-out",
                        StringSerializer::new,
                        StringSerializer::new,
                        v -> {
                            if (v.equals("c-refused-in-4")) {
                                throw new IllegalArgumentException("no key for " + v);
                            }
                            return v;
                        },
                        v -> v);

        PipelineRun<Void> run =
                source.pipeline()
                        .map(KafkaRecord::value)
                        .start("to-kafka", sink, ErrorPolicy.skip());
        try {
            TopicPartition tp = new TopicPartition("c-refused-in", 0);
            eventually(() -> Long.valueOf(10).equals(committed(bootstrap, "c-refused", tp)));
            assertThat(KafkaTestClients.endOffsets(bootstrap, "c-refused-out"))
                    .containsEntry(new TopicPartition("c-refused-out", 0), 9L);
        } finally {
            run.cancel();
        }
    }

    private static String key(int partition, long offset) {
        return partition + "@" + offset;
    }

    private static Long committed(String bootstrap, String group, TopicPartition tp)
            throws Exception {
        return KafkaTestClients.committedOffsets(bootstrap, group).get(tp);
    }

    /** A condition that may throw. */
    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits until {@code check} holds, at most 20 s. */
    static void eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
