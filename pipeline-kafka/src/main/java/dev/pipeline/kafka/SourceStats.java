package dev.pipeline.kafka;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link KafkaSource#stats()}: written by source threads, read by anyone. */
final class SourceStats {
    final LongAdder polls = new LongAdder();
    final LongAdder recordsPolled = new LongAdder();
    final LongAdder recordsSent = new LongAdder();
    final LongAdder pauses = new LongAdder();
    final LongAdder resumes = new LongAdder();
    final LongAdder pausedNanos = new LongAdder();
    final AtomicLong maxBuffered = new AtomicLong();
    final LongAdder rebalances = new LongAdder();
    final LongAdder partitionsRevoked = new LongAdder();
    final LongAdder recordsDone = new LongAdder();
    final LongAdder commits = new LongAdder();
    final Map<TopicPartition, Long> committedOffsets = new ConcurrentHashMap<>();

    void buffered(int n) {
        maxBuffered.accumulateAndGet(n, Math::max);
    }

    KafkaSource.Stats snapshot() {
        return new KafkaSource.Stats(
                polls.sum(),
                recordsPolled.sum(),
                recordsSent.sum(),
                pauses.sum(),
                resumes.sum(),
                Duration.ofNanos(pausedNanos.sum()),
                maxBuffered.get(),
                rebalances.sum(),
                partitionsRevoked.sum(),
                recordsDone.sum(),
                commits.sum(),
                Map.copyOf(committedOffsets));
    }
}
