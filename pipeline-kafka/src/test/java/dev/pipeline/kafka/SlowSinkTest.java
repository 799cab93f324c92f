package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.PipelineRun;
import dev.pipeline.Sink;
import dev.pipeline.kafka.MemberProcess.Processed;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * A sink that takes 10 ms per record (100 records/s) behind a source whose {@code
 * max.poll.interval.ms} is 4 s, for 9 s: the member stays in its group (one assignment, nothing
 * revoked), the partitions are paused and resumed, and what the source holds stays bounded (one
 * poll buffered; no more handed out and not done than the channels hold). Offsets are committed
 * as records are done, never past a record the sink has not finished.
 */
@ExtendWith(KafkaBroker.class)
class SlowSinkTest {

    private static final String TOPIC = "slow-sink";
    private static final String GROUP = "slow-sink";
    private static final int MAX_POLL_RECORDS = 50;
    private static final int MAX_POLL_INTERVAL_MS = 4_000;
    private static final Duration RUN = Duration.ofMillis(9_000);
    private static final int CAPACITY = 8;

    /**
     * The most records handed out and not yet done: the source's channel to the deserialiser (64)
     * and the one to the sink, and in each of the two stages at most one chunk taken from its
     * input channel, so at most that channel's capacity again.
     */
    private static final int IN_FLIGHT = 2 * (64 + CAPACITY);

    /** Takes 10 ms per record, records it, then acknowledges it. */
    private static final class SlowSink implements Sink<KafkaRecord<String, String>> {
        final Queue<Processed> done = new ConcurrentLinkedQueue<>();

        @Override
        public Writer<KafkaRecord<String, String>> open() {
            return new Writer<>() {
                @Override
                public void write(KafkaRecord<String, String> r, Ack ack)
                        throws InterruptedException {
                    Thread.sleep(10);
                    done.add(new Processed("slow", r.partition(), r.offset()));
                    ack.done();
                }

                @Override
                public void close() {}
            };
        }
    }

    @Test
    @Timeout(60)
    void aSinkSlowerThanThePollIntervalKeepsTheMemberInItsGroupWithBoundedMemory(
            InProcessBroker broker) throws Exception {
        long t0 = System.nanoTime();
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopic(bootstrap, TOPIC, 2);
        KafkaTestClients.produceStrings(
                bootstrap, TOPIC, IntStream.range(0, 4_000).mapToObj(i -> "s" + i).toList());
        Map<TopicPartition, Long> ends = KafkaTestClients.endOffsets(bootstrap, TOPIC);
        Properties consumer = new Properties();
        consumer.setProperty(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        consumer.setProperty(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(MAX_POLL_INTERVAL_MS));
        consumer.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        consumer.setProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        KafkaSource<String, String> source =
                KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                        .bootstrapServers(bootstrap)
                        .groupId(GROUP)
                        .topics(TOPIC)
                        .properties(consumer)
                        .commitInterval(Duration.ofMillis(500))
                        .build();
        SlowSink sink = new SlowSink();

        PipelineRun<Void> run = source.pipeline().capacity(CAPACITY).start("slow-sink", sink);
        long inFlightMax = 0;
        int membersMidway = -1;
        long end = System.nanoTime() + RUN.toNanos();
        long midway = System.nanoTime() + RUN.toNanos() / 2;
        while (System.nanoTime() < end) {
            KafkaSource.Stats s = source.stats();
            inFlightMax = Math.max(inFlightMax, s.recordsSent() - s.recordsDone());
            if (membersMidway < 0 && System.nanoTime() > midway) {
                membersMidway = KafkaTestClients.groupMembers(bootstrap, GROUP);
            }
            Thread.sleep(50);
        }
        assertThat(run.isDone()).isFalse();
        KafkaSource.Stats during = source.stats();
        Map<TopicPartition, Long> committedDuring =
                KafkaTestClients.committedOffsets(bootstrap, GROUP);
        run.cancel();
        assertThatThrownBy(() -> run.await(Duration.ofSeconds(30)))
                .isInstanceOf(CancellationException.class);
        Map<TopicPartition, Long> committedAfter =
                KafkaTestClients.committedOffsets(bootstrap, GROUP);
        ScaleTally tally = new ScaleTally(ends, sink.done);
        System.out.printf(
                "slow sink: %d done in %d ms; most in flight %d; committed during %s, after %s;"
                        + " %s%n",
                sink.done.size(),
                (System.nanoTime() - t0) / 1_000_000,
                inFlightMax,
                committedDuring,
                committedAfter,
                during);

        assertThat(membersMidway).as("members of the group midway").isEqualTo(1);
        assertThat(during.rebalances()).as("assignments in %s", during).isEqualTo(1);
        assertThat(during.partitionsRevoked()).as("revocations in %s", during).isZero();
        assertThat(during.pauses()).as("%s", during).isPositive();
        assertThat(during.resumes()).as("%s", during).isPositive();
        assertThat(during.pausedTime()).as("%s", during).isGreaterThan(RUN.dividedBy(2));
        // bounded memory: one poll buffered, no more taken from the broker than the channels hold
        assertThat(during.maxBuffered()).as("%s", during).isLessThanOrEqualTo(MAX_POLL_RECORDS);
        assertThat(during.recordsPolled() - during.recordsSent())
                .as("%s", during)
                .isLessThanOrEqualTo(MAX_POLL_RECORDS);
        assertThat(inFlightMax)
                .as("records handed out, not yet done")
                .isLessThanOrEqualTo(IN_FLIGHT);
        // about 100 records/s
        assertThat(sink.done.size()).isBetween(300, 1_300);
        // committed as the run went, and only what the sink had finished
        assertThat(during.commits()).as("%s", during).isPositive();
        assertThat(committedDuring.values().stream().mapToLong(Long::longValue).sum()).isPositive();
        assertThat(tally.committedBeyondProcessed(committedDuring)).isEmpty();
        assertThat(tally.committedBeyondProcessed(committedAfter)).isEmpty();
        assertThat(tally.duplicates()).isZero();
    }
}
