package dev.pipeline.kafka;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which offsets of each partition may be committed, given the records handed out and the ones
 * marked done, in any order. The commit position of a partition is the offset of its first handed
 * out record not yet done, or, when every handed-out record is done, the last one's offset + 1:
 * every record below it is done, so a consumer restarted there loses nothing (Kafka's committed
 * offset is the next record to read).
 *
 * <p>Offsets are those of handed-out records, never {@code offset + 1} arithmetic between them: on
 * a compacted topic, or after transaction markers, a partition's offsets have gaps, and a record
 * after a gap is tracked by its own offset.
 *
 * <p>{@link #handOut} is called by the source's thread in offset order per partition, just before
 * the record is offered downstream; if the offer is not accepted, {@link #retract} takes the
 * hand-out back (a record is tracked only while the pipeline holds it). {@link #done} is called
 * from any thread, through the {@link Ticket} that {@code handOut} returned: the runtime's {@code
 * Completion}. {@link #revoke} drops a partition's state: tickets of the old assignment then do
 * nothing, even if the partition comes back, since a new assignment starts a new state.
 *
 * <p>Thread-safe: each partition's state is guarded by its own lock; {@link #awaitCompletion} lets
 * the source's thread sleep until some record is done (a monitor notified by {@code done} only
 * while someone waits, so the hot path takes no second lock).
 */
final class OffsetTracker {

    /** A handed-out record of one partition's state; mark it done once. */
    static final class Ticket {
        private final PartitionState state;
        private final long offset;

        private Ticket(PartitionState state, long offset) {
            this.state = state;
            this.offset = offset;
        }

        long offset() {
            return offset;
        }

        TopicPartition partition() {
            return state.partition;
        }
    }

    /*
     * Invariant (under the state's lock): pending holds the handed-out offsets not yet committable,
     * in increasing order; its head is not done (done ones at the head are removed at once);
     * doneAhead holds the done offsets in pending. position is the commit position, -1 until the
     * first handed-out record is done.
     */
    private static final class PartitionState {
        final TopicPartition partition;
        final ArrayDeque<Long> pending = new ArrayDeque<>();
        final Set<Long> doneAhead = new HashSet<>();
        long lastHandedOut = -1;
        long position = -1;
        /* lastHandedOut before the latest handOut, for retract */
        long previousHandedOut = -1;
        boolean revoked;

        PartitionState(TopicPartition partition) {
            this.partition = partition;
        }
    }

    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();
    private final LongAdder completions = new LongAdder();
    private final Object signal = new Object();
    private final AtomicInteger waiters = new AtomicInteger();

    /**
     * Records that the record at {@code offset} of {@code partition} was handed out. Offsets of one
     * partition must increase from call to call (gaps allowed).
     *
     * @return the ticket to mark it done with
     * @throws IllegalArgumentException if {@code offset} is negative or not above the partition's
     *     last handed-out offset
     */
    Ticket handOut(TopicPartition partition, long offset) {
        requireNonNull(partition, "partition");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0 but was " + offset);
        }
        PartitionState state = partitions.computeIfAbsent(partition, PartitionState::new);
        synchronized (state) {
            if (offset <= state.lastHandedOut) {
                throw new IllegalArgumentException(
                        "offset "
                                + offset
                                + " of "
                                + partition
                                + " handed out after "
                                + state.lastHandedOut);
            }
            state.previousHandedOut = state.lastHandedOut;
            state.lastHandedOut = offset;
            if (state.pending.isEmpty() && state.position >= 0) {
                // everything before was done: the commit position moves over the gap, if any
                state.position = offset;
            }
            state.pending.addLast(offset);
        }
        return new Ticket(state, offset);
    }

    /**
     * Takes back the latest hand-out of the ticket's partition, whose record the pipeline did not
     * accept (the channel was full, or downstream has gone): the record is no longer tracked and
     * may be handed out again. The commit position stays where it is (never beyond the record).
     *
     * @param ticket the ticket the partition's latest {@link #handOut} returned, not done
     * @throws IllegalStateException if the ticket is not its partition's latest hand-out or is done
     */
    void retract(Ticket ticket) {
        PartitionState state = ticket.state;
        synchronized (state) {
            if (state.revoked) {
                return;
            }
            Long tail = state.pending.peekLast();
            if (tail == null
                    || tail != ticket.offset
                    || state.lastHandedOut != ticket.offset
                    || state.doneAhead.contains(ticket.offset)) {
                throw new IllegalStateException(
                        "offset "
                                + ticket.offset
                                + " of "
                                + state.partition
                                + " is not the latest hand-out in flight");
            }
            state.pending.removeLast();
            state.lastHandedOut = state.previousHandedOut;
        }
    }

    /**
     * Marks a handed-out record done, from any thread.
     *
     * @return {@code true} if this call marked it done; {@code false} if it was done already, or
     *     its partition was revoked since it was handed out
     */
    boolean done(Ticket ticket) {
        PartitionState state = ticket.state;
        synchronized (state) {
            if (state.revoked) {
                return false;
            }
            Long head = state.pending.peekFirst();
            if (head == null || ticket.offset < head || !state.doneAhead.add(ticket.offset)) {
                return false;
            }
            while (!state.pending.isEmpty() && state.doneAhead.remove(state.pending.peekFirst())) {
                long removed = state.pending.removeFirst();
                state.position = state.pending.isEmpty() ? removed + 1 : state.pending.peekFirst();
            }
        }
        completions.increment();
        if (waiters.get() > 0) {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
        return true;
    }

    /**
     * The number of {@link #done} calls that marked a record done so far (a progress counter).
     *
     * @return the count, over every partition and assignment
     */
    long completions() {
        return completions.sum();
    }

    /**
     * Waits until a record is marked done or {@code nanos} pass, whichever first; may return
     * early (spuriously), so callers check their condition again.
     *
     * @param nanos the longest wait
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitCompletion(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        long seen = completions.sum();
        waiters.incrementAndGet();
        try {
            synchronized (signal) {
                // a done() between the read of seen and here notified nobody: check before waiting
                if (completions.sum() == seen) {
                    TimeUnit.NANOSECONDS.timedWait(signal, nanos);
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /**
     * The commit position of every partition that has one: per partition, the offset below which
     * every handed-out record is done (partitions where nothing is done yet are left out).
     *
     * @return a new map, partition to the offset to commit
     */
    Map<TopicPartition, Long> committable() {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (PartitionState state : partitions.values()) {
            synchronized (state) {
                if (!state.revoked && state.position >= 0) {
                    out.put(state.partition, state.position);
                }
            }
        }
        return out;
    }

    /**
     * The number of records of {@code partition} handed out and not yet committable.
     *
     * @return the count, 0 for an unknown partition
     */
    int inFlight(TopicPartition partition) {
        PartitionState state = partitions.get(partition);
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            return state.pending.size();
        }
    }

    /**
     * The number of records of the given partitions handed out and not yet committable.
     *
     * @return the sum
     */
    int inFlight(Collection<TopicPartition> partitions) {
        int n = 0;
        for (TopicPartition tp : partitions) {
            n += inFlight(tp);
        }
        return n;
    }

    /**
     * The number of records handed out and not yet committable, over every partition.
     *
     * @return the sum
     */
    int inFlight() {
        return inFlight(partitions.keySet());
    }

    /**
     * Drops the state of the partitions (revoked or lost by a rebalance): their tickets do nothing
     * from now on, and a partition assigned again starts afresh.
     *
     * @return the commit positions the partitions had at that moment (those that had one): what
     *     this member may still commit for them; nothing done later changes it
     */
    Map<TopicPartition, Long> revoke(Collection<TopicPartition> revoked) {
        Map<TopicPartition, Long> last = new HashMap<>();
        for (TopicPartition tp : revoked) {
            PartitionState state = partitions.remove(tp);
            if (state != null) {
                synchronized (state) {
                    state.revoked = true;
                    if (state.position >= 0) {
                        last.put(tp, state.position);
                    }
                }
            }
        }
        return last;
    }
}
