package dev.pipeline.kafka;

import dev.pipeline.Completion;
import dev.pipeline.TrackedSender;
import dev.pipeline.channel.SendResult;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run of a {@link KafkaSource}: the consumer loop on the source's thread.
 *
 * <p><b>Back-pressure</b> (ADR 18). The loop alternates between handing out the buffered records
 * of the last poll and polling. While the buffer is not empty the assigned partitions are paused,
 * so a poll fetches nothing and the buffer never holds more than one poll's records; a poll still
 * happens at least every poll timeout, which keeps the member in its group and runs the rebalance
 * callbacks. Handing out waits for room at most one poll timeout, never longer.
 *
 * <p><b>Offsets</b> (ADR 19, ADR 20). Each record is handed out with a {@link Completion} that
 * marks its {@link OffsetTracker} ticket done, on whatever thread the runtime finishes it; the
 * ticket is taken just before the offer and taken back ({@link OffsetTracker#retract}) when the
 * offer is not accepted, so the tracker holds exactly the records the pipeline holds. Only this
 * thread touches the consumer: it commits the tracker's contiguous positions every commit interval
 * (asynchronously), on revocation and at the end (synchronously). Records of revoked partitions
 * are forgotten by the tracker, so their late completions commit nothing here.
 *
 * <p>Invariant: every offset this loop commits is, for its partition, the offset of a record not
 * done or one past the last record done, with every record of this assignment below it done.
 */
final class SourceLoop {

    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /* the longest a synchronous commit may take: at the end and on revocation */
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /* how often the status line's lag figures are refreshed, at most */
    private static final long STATUS_REFRESH_NANOS = 200_000_000L;
    /* the longest one probe of the brokers waits (see checkBroker) */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Properties properties;
    private final List<String> topics;
    private final Duration pollTimeout;
    private final Duration connectTimeout;
    private final long commitIntervalNanos;
    /* how long the source goes without an answer from a broker before it asks one */
    private final long probeIntervalNanos;
    /* when a broker last answered: records fetched, a commit acknowledged, a probe answered */
    private long lastContact;
    private final long revocationTimeoutNanos;
    private final SourceStats stats;

    private final ArrayDeque<KafkaRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private final OffsetTracker tracker = new OffsetTracker();
    /* what this run last asked to commit (async commits may still be on their way) */
    private final Map<TopicPartition, Long> requested = new HashMap<>();
    /*
     * per partition, the number of the latest commit request whose success is in the stats: the
     * callback of an older asynchronous commit may run after a newer synchronous one returned
     */
    private final Map<TopicPartition, Long> applied = new HashMap<>();
    /* per partition, the position the broker confirmed last (of the latest request confirmed) */
    private final Map<TopicPartition, Long> confirmed = new HashMap<>();
    private long commitRequests;
    private KafkaConsumer<byte[], byte[]> consumer;
    private volatile long pausedAt;
    /* whether the assigned partitions are paused; written by this thread, read by status() too */
    private volatile boolean pausedNow;
    /* written by this thread only */
    private volatile long runPausedNanos;
    private long nextCommit;
    private long nextStatus;
    /* true once the loop is ending: revocations during close() neither wait nor commit */
    private boolean closing;
    /* what status() shows, written by this thread, read by any */
    private volatile Map<TopicPartition, Long> lag = Map.of();

    SourceLoop(
            Properties properties,
            List<String> topics,
            Duration pollTimeout,
            Duration connectTimeout,
            Duration commitInterval,
            Duration revocationTimeout,
            SourceStats stats) {
        this.properties = properties;
        this.topics = topics;
        this.pollTimeout = pollTimeout;
        this.connectTimeout = connectTimeout;
        this.probeIntervalNanos = Math.min(connectTimeout.toNanos() / 3, 5_000_000_000L);
        this.commitIntervalNanos = commitInterval.toNanos();
        this.revocationTimeoutNanos = revocationTimeout.toNanos();
        this.stats = stats;
    }

    void run(TrackedSender<KafkaRecord<byte[], byte[]>> out) throws InterruptedException {
        out.status(this::status);
        consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            checkTopics();
            lastContact = System.nanoTime();
            consumer.subscribe(topics, new Listener());
            nextCommit = System.nanoTime() + commitIntervalNanos;
            loop(out);
            // downstream has stopped: what was handed out before may still be finishing
            awaitInFlightAtEnd();
        } catch (InterruptException e) {
            // kafka-clients' unchecked form of a cancellation: the runtime expects the checked one
            Thread.interrupted();
            InterruptedException ie = new InterruptedException("interrupted in the Kafka consumer");
            ie.initCause(e);
            throw ie;
        } finally {
            closing = true;
            endPause();
            // failed, cancelled or quiet: what is done is done; nothing else is committed
            commitDoneAtEnd();
            close();
        }
    }

    private void loop(TrackedSender<KafkaRecord<byte[], byte[]>> out) throws InterruptedException {
        while (true) {
            if (out.isDisconnected()) {
                return;
            }
            // hand out what is buffered while there is room
            while (!buffer.isEmpty()) {
                KafkaRecord<byte[], byte[]> r = buffer.peekFirst();
                OffsetTracker.Ticket ticket = tracker.handOut(r.topicPartition(), r.offset());
                SendResult<KafkaRecord<byte[], byte[]>> result = out.trySend(r, completion(ticket));
                if (!accepted(result, ticket)) {
                    if (result instanceof SendResult.Disconnected) {
                        return;
                    }
                    break;
                }
            }
            if (!buffer.isEmpty()) {
                // downstream is full: pause, then wait for room at most one poll timeout
                pause();
                KafkaRecord<byte[], byte[]> r = buffer.peekFirst();
                OffsetTracker.Ticket ticket = tracker.handOut(r.topicPartition(), r.offset());
                SendResult<KafkaRecord<byte[], byte[]>> result =
                        out.send(r, completion(ticket), pollTimeout);
                if (!accepted(result, ticket) && result instanceof SendResult.Disconnected) {
                    return;
                }
            }
            if (buffer.isEmpty()) {
                resume();
            }
            poll(buffer.isEmpty() ? pollTimeout : Duration.ZERO);
            long now = System.nanoTime();
            if (now - nextCommit >= 0) {
                commitAsync();
                nextCommit = now + commitIntervalNanos;
            }
            refreshStatus(now);
            checkBroker(now);
        }
    }

    /**
     * Fails the stage when no broker has answered for the connect timeout during the run: the
     * consumer itself would reconnect for ever. Records fetched and commits acknowledged count as
     * answers; when none came for a while (a quiet topic, or every partition paused) the source
     * asks for the end offsets of its partitions (or the topic list before it has any), waiting at
     * most {@link #PROBE_TIMEOUT}, which also keeps a quiet member's evidence fresh.
     */
    private void checkBroker(long now) {
        if (now - lastContact < probeIntervalNanos) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        long left = connectTimeout.toNanos() - (now - lastContact);
        Duration wait = Duration.ofNanos(Math.max(1, Math.min(left, PROBE_TIMEOUT.toNanos())));
        try {
            if (assigned.isEmpty()) {
                consumer.listTopics(wait);
            } else {
                consumer.endOffsets(assigned, wait);
            }
            lastContact = System.nanoTime();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (System.nanoTime() - lastContact >= connectTimeout.toNanos()) {
                throw new KafkaException(
                        "no Kafka broker at "
                                + properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                                + " answered for the connect timeout of "
                                + connectTimeout
                                + " while reading topic "
                                + String.join(", ", topics)
                                + (assigned.isEmpty() ? "" : " partitions " + sorted(assigned)),
                        e);
            }
        }
    }

    private static String sorted(Set<TopicPartition> partitions) {
        return partitions.stream()
                .sorted(
                        Comparator.comparing(TopicPartition::topic)
                                .thenComparingInt(TopicPartition::partition))
                .map(TopicPartition::toString)
                .toList()
                .toString();
    }

    private Completion completion(OffsetTracker.Ticket ticket) {
        return () -> {
            if (tracker.done(ticket)) {
                stats.recordsDone.increment();
            }
        };
    }

    /** Takes the buffer's head off when {@code result} says it was sent; else untracks it. */
    private boolean accepted(
            SendResult<KafkaRecord<byte[], byte[]>> result, OffsetTracker.Ticket ticket) {
        if (result instanceof SendResult.Sent) {
            buffer.removeFirst();
            stats.recordsSent.increment();
            return true;
        }
        tracker.retract(ticket);
        return false;
    }

    private void poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (!records.isEmpty()) {
            lastContact = System.nanoTime();
        }
        stats.polls.increment();
        stats.recordsPolled.add(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            buffer.addLast(
                    new KafkaRecord<>(
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            r.timestamp(),
                            r.key(),
                            r.value(),
                            List.of(r.headers().toArray())));
        }
        stats.buffered(buffer.size());
    }

    /**
     * After a quiet end (every downstream stage stopped, after a {@code take} for example): the
     * records handed out before may still be on their way to the terminal. Waits, polling with
     * every partition paused, until none is in flight, or {@code revocationTimeout} passes, or no
     * record was done for one commit interval (a record dropped from a closed channel is never
     * done, so waiting longer for it would only delay the end).
     */
    private void awaitInFlightAtEnd() throws InterruptedException {
        buffer.clear();
        if (tracker.inFlight() == 0) {
            return;
        }
        pause();
        long now = System.nanoTime();
        long deadline = now + revocationTimeoutNanos;
        long progressAt = now;
        long progress = tracker.completions();
        while (tracker.inFlight() > 0) {
            now = System.nanoTime();
            long left = Math.min(deadline - now, progressAt + commitIntervalNanos - now);
            if (left <= 0) {
                return;
            }
            tracker.awaitCompletion(Math.min(left, pollTimeout.toNanos()));
            consumer.poll(Duration.ZERO);
            stats.polls.increment();
            buffer.clear();
            if (tracker.completions() != progress) {
                progress = tracker.completions();
                progressAt = System.nanoTime();
            }
        }
    }

    /** Commits the positions that moved since the last request, without waiting for the broker. */
    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = changed(tracker.committable(), requested);
        if (offsets.isEmpty()) {
            return;
        }
        long request = ++commitRequests;
        consumer.commitAsync(
                offsets,
                (committed, e) -> {
                    // runs on this thread, inside a later poll or commit
                    if (e == null) {
                        lastContact = System.nanoTime();
                        committed(committed, request);
                    } else {
                        log.debug("an asynchronous offset commit failed; retried later", e);
                        committed.keySet().forEach(requested::remove);
                    }
                });
    }

    /**
     * Commits {@code positions} where they differ from what the broker confirmed (an asynchronous
     * commit of the same positions may still be on its way, and may fail), and waits for the
     * broker (bounded).
     */
    private void commitSync(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = changed(positions, confirmed);
        if (offsets.isEmpty()) {
            return;
        }
        long request = ++commitRequests;
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            committed(offsets, request);
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // a member thrown out of its group, a broker gone: the records are read again
            log.warn("committing offsets {} failed: {}", offsets, e.toString());
            offsets.keySet().forEach(requested::remove);
        }
    }

    /** The positions not in {@code against}; they are now requested. */
    private Map<TopicPartition, OffsetAndMetadata> changed(
            Map<TopicPartition, Long> positions, Map<TopicPartition, Long> against) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach(
                (tp, position) -> {
                    if (!position.equals(against.get(tp))) {
                        offsets.put(tp, new OffsetAndMetadata(position));
                        requested.put(tp, position);
                    }
                });
        return offsets;
    }

    private void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long request) {
        stats.commits.increment();
        offsets.forEach(
                (tp, om) -> {
                    if (request > applied.getOrDefault(tp, 0L)) {
                        applied.put(tp, request);
                        confirmed.put(tp, om.offset());
                        stats.committedOffsets.put(tp, om.offset());
                    }
                });
    }

    /** The last commit of a run, whatever its end; the thread may be interrupted (cancelled). */
    private void commitDoneAtEnd() {
        if (consumer == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            commitSync(tracker.committable());
        } catch (RuntimeException e) {
            log.warn("the last offset commit failed", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pause() {
        if (!pausedNow) {
            consumer.pause(consumer.assignment());
            pausedAt = System.nanoTime();
            pausedNow = true;
            stats.pauses.increment();
        }
    }

    private void resume() {
        if (pausedNow) {
            consumer.resume(consumer.paused());
            endPause();
            stats.resumes.increment();
        }
    }

    private void endPause() {
        if (pausedNow) {
            pausedNow = false;
            long nanos = System.nanoTime() - pausedAt;
            runPausedNanos = runPausedNanos + nanos;
            stats.pausedNanos.add(nanos);
        }
    }

    /** Takes the consumer's lag figures (no broker round trip: fetch metadata) for the status. */
    private void refreshStatus(long now) {
        if (now - nextStatus < 0) {
            return;
        }
        nextStatus = now + STATUS_REFRESH_NANOS;
        Map<TopicPartition, Long> m =
                new TreeMap<>(
                        Comparator.comparing(TopicPartition::topic)
                                .thenComparingInt(TopicPartition::partition));
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            m.put(tp, l.isPresent() ? l.getAsLong() : -1L);
        }
        lag = m;
    }

    /**
     * The stage's live status line, read by any thread: per assigned partition the consumer lag
     * (records between the position and the log end, {@code ?} while unknown) and the time paused
     * so far.
     */
    String status() {
        StringBuilder sb = new StringBuilder("lag");
        Map<TopicPartition, Long> l = lag;
        if (l.isEmpty()) {
            sb.append(" -");
        }
        l.forEach(
                (tp, n) ->
                        sb.append(' ')
                                .append(tp)
                                .append('=')
                                .append(n < 0 ? "?" : Long.toString(n)));
        boolean now = pausedNow;
        long pausedNanos = runPausedNanos + (now ? System.nanoTime() - pausedAt : 0);
        sb.append("; paused ").append(Duration.ofNanos(pausedNanos).toMillis()).append(" ms");
        if (now) {
            sb.append(" (now)");
        }
        return sb.toString();
    }

    /** Fails fast when no broker answers or a topic is missing, instead of polling forever. */
    private void checkTopics() {
        for (String topic : topics) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, connectTimeout);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new KafkaException(
                        "no Kafka broker at "
                                + properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                                + " told the partitions of topic "
                                + topic
                                + " within the connect timeout of "
                                + connectTimeout,
                        e);
            }
            if (partitions == null || partitions.isEmpty()) {
                throw new KafkaException(
                        "topic "
                                + topic
                                + " does not exist at "
                                + properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            }
        }
    }

    private void close() {
        // a cancelled run arrives here interrupted, and an interrupted close would not leave the
        // group: close uninterrupted, then restore the flag
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("closing the Kafka consumer failed", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs inside {@code poll()} (and {@code close()}), on the source's thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            stats.rebalances.increment();
            if (pausedNow) {
                // keep the one-poll bound: a partition that arrives while paused starts paused
                consumer.pause(partitions);
            }
        }

        /**
         * Stops handing out the partitions' records, waits (bounded) for those in flight, commits
         * what is done and forgets the partitions: their records done later commit nothing here.
         */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            drop(partitions);
            if (!closing) {
                awaitInFlight(partitions);
            }
            Map<TopicPartition, Long> last = tracker.revoke(partitions);
            if (!closing) {
                // even when cancelled: what is done is committed before the partitions go
                boolean interrupted = Thread.interrupted();
                try {
                    commitSync(last);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            forget(partitions);
        }

        /** The partitions are someone else's already: committing for them would be refused. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
            tracker.revoke(partitions);
            forget(partitions);
        }

        /** A partition assigned again starts afresh: its old requests say nothing of it. */
        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                requested.remove(tp);
                confirmed.remove(tp);
            }
        }

        private void drop(Collection<TopicPartition> partitions) {
            stats.partitionsRevoked.add(partitions.size());
            // never handed out, so never tracked: the new owner reads them
            Set<TopicPartition> gone = new HashSet<>(partitions);
            buffer.removeIf(r -> gone.contains(r.topicPartition()));
        }

        private void awaitInFlight(Collection<TopicPartition> partitions) {
            long deadline = System.nanoTime() + revocationTimeoutNanos;
            try {
                while (tracker.inFlight(partitions) > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        log.warn(
                                "{} records of revoked partitions {} still in flight after {}: not"
                                        + " committed here, so read again by the next owner",
                                tracker.inFlight(partitions),
                                partitions,
                                Duration.ofNanos(revocationTimeoutNanos));
                        return;
                    }
                    tracker.awaitCompletion(left);
                }
            } catch (InterruptedException e) {
                // cancelled: commit what is done, and let the next poll end the run
                Thread.currentThread().interrupt();
            }
        }
    }
}
