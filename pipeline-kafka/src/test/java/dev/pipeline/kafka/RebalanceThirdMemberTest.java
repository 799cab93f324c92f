package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.PipelineRun;
import dev.pipeline.kafka.MemberProcess.Processed;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Two pipelines of one group, in this JVM, split a topic's partitions; a third joins mid-run, and
 * the cooperative rebalance moves partitions to it. Nothing is lost; a record is processed twice
 * only if it was in flight in a member that lost its partition at a rebalance, so the duplicates
 * (counted and printed) are at most what the losing members can hold in flight, times the
 * partitions they gave up.
 */
@ExtendWith(KafkaBroker.class)
class RebalanceThirdMemberTest {

    private static final String TOPIC = "rebalance-in";
    private static final String GROUP = "rebalance";
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 16_000;
    private static final int MAX_POLL_RECORDS = 100;
    private static final int CAPACITY = 16;

    /**
     * The most records one member has handed out and not yet done: the source's channel to the
     * deserialiser (64) and the three channels after it, and in each of the four stages at most one
     * chunk taken from its input channel, so at most that channel's capacity again. (Its buffered
     * poll is not handed out; a revoked partition's buffered records are dropped.)
     */
    private static final int IN_FLIGHT = 2 * (64 + 3 * CAPACITY);

    /** One member: its source (for its own stats) and its run, recording what it processed. */
    private record Member(String name, KafkaSource<String, String> source, PipelineRun<Void> run) {}

    @Test
    @Timeout(120)
    void aThirdMemberJoiningMidRunLosesNothingAndDuplicatesOnlyWhatWasInFlight(
            InProcessBroker broker) throws Exception {
        long t0 = System.nanoTime();
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopic(bootstrap, TOPIC, PARTITIONS);
        KafkaTestClients.produceStrings(
                bootstrap, TOPIC, IntStream.range(0, RECORDS).mapToObj(i -> "r" + i).toList());
        Map<TopicPartition, Long> ends = KafkaTestClients.endOffsets(bootstrap, TOPIC);
        Queue<Processed> processed = new ConcurrentLinkedQueue<>();
        AtomicBoolean thirdWorking = new AtomicBoolean();

        List<Member> members = new ArrayList<>();
        try {
            members.add(start(bootstrap, "m1", processed, thirdWorking));
            members.add(start(bootstrap, "m2", processed, thirdWorking));
            ScaleAwait.until(
                    Duration.ofSeconds(30),
                    "both first members processing",
                    () -> count(processed, "m1") >= 500 && count(processed, "m2") >= 500);
            long atJoin = processed.size();
            Member third = start(bootstrap, "m3", processed, thirdWorking);
            members.add(third);
            ScaleAwait.until(
                    Duration.ofSeconds(30),
                    "m3 processing",
                    () -> count(processed, "m3") > 0,
                    () ->
                            processed.size()
                                    + " processed; m1 "
                                    + members.get(0).source().stats()
                                    + "; m2 "
                                    + members.get(1).source().stats()
                                    + "; m3 "
                                    + third.source().stats());
            long atThird = processed.size();
            ScaleAwait.until(
                    Duration.ofSeconds(60),
                    "every record processed and committed",
                    () ->
                            new ScaleTally(ends, processed).missing() == 0
                                    && KafkaTestClients.committedOffsets(bootstrap, GROUP)
                                            .equals(ends));

            List<KafkaSource.Stats> stats = members.stream().map(m -> m.source().stats()).toList();
            ScaleTally tally = new ScaleTally(ends, processed);
            long revokedFromFirstTwo =
                    stats.get(0).partitionsRevoked() + stats.get(1).partitionsRevoked();
            long bound = IN_FLIGHT * revokedFromFirstTwo;
            System.out.printf(
                    "rebalance: %d records, %d processings, %d duplicates %s (bound %d = %d in"
                            + " flight x %d partitions revoked); m3 joined after %d, processing"
                            + " from %d; m1 %d, m2 %d, m3 %d records; %d ms%n  m1 %s%n  m2 %s%n"
                            + "  m3 %s%n",
                    RECORDS,
                    processed.size(),
                    tally.duplicates(),
                    tally.duplicated(),
                    bound,
                    IN_FLIGHT,
                    revokedFromFirstTwo,
                    atJoin,
                    atThird,
                    count(processed, "m1"),
                    count(processed, "m2"),
                    count(processed, "m3"),
                    (System.nanoTime() - t0) / 1_000_000,
                    stats.get(0),
                    stats.get(1),
                    stats.get(2));

            assertThat(tally.missing()).as("records never processed").isZero();
            assertThat(tally.unknown()).isZero();
            // the join rebalanced: the first two gave partitions up, the third got some
            assertThat(revokedFromFirstTwo).as("partitions revoked from m1 and m2").isPositive();
            assertThat(stats.get(2).rebalances()).as("assignments of m3").isPositive();
            assertThat(count(processed, "m3")).isPositive();
            assertThat(tally.duplicates())
                    .as("duplicates against what the losing members had in flight")
                    .isLessThanOrEqualTo(bound);
            // a duplicate is a record that moved with its partition: no member read one twice
            assertThat(tally.duplicatesWithinAMember()).isEmpty();
            // every member's commits stayed within its processed records
            for (KafkaSource.Stats s : stats) {
                assertThat(tally.committedBeyondProcessed(s.committedOffsets())).isEmpty();
            }
            assertThat(KafkaTestClients.committedOffsets(bootstrap, GROUP)).isEqualTo(ends);
        } finally {
            for (Member m : members) {
                m.run().cancel();
            }
            for (Member m : members) {
                assertThatThrownBy(() -> m.run().await(Duration.ofSeconds(30)))
                        .isInstanceOf(CancellationException.class);
            }
        }
        assertThat(KafkaTestClients.groupMembers(bootstrap, GROUP)).isZero();
    }

    private static Member start(
            String bootstrap, String name, Queue<Processed> processed, AtomicBoolean thirdWorking) {
        Properties consumer = new Properties();
        consumer.setProperty(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        KafkaSource<String, String> source =
                KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                        .bootstrapServers(bootstrap)
                        .groupId(GROUP)
                        .topics(TOPIC)
                        .properties(consumer)
                        .name(name + "-source")
                        .commitInterval(Duration.ofMillis(200))
                        .build();
        PipelineRun<Void> run =
                source.pipeline()
                        .capacity(CAPACITY)
                        .named(name)
                        .map(
                                "work",
                                r -> {
                                    // about 2,000 records/s per member, and 500 until the third
                                    // member works: its join then happens mid-run however long
                                    // it takes on a loaded machine
                                    LockSupport.parkNanos(thirdWorking.get() ? 500_000 : 2_000_000);
                                    return new Processed(name, r.partition(), r.offset());
                                })
                        .capacity(CAPACITY)
                        .peek(
                                "record",
                                p -> {
                                    processed.add(p);
                                    if (name.equals("m3")) {
                                        thirdWorking.set(true);
                                    }
                                })
                        .capacity(CAPACITY)
                        .start();
        return new Member(name, source, run);
    }

    private static long count(Queue<Processed> processed, String member) {
        return processed.stream().filter(p -> p.member().equals(member)).count();
    }
}
