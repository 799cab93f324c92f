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
 * <p>{@link #handOut} is called by the source's thread in offset order per partition; {@link
 * #done} from any thread, through the {@link Ticket} that {@code handOut} returned. {@link #revoke}
 * drops a partition's state: tickets of the old assignment then do nothing, even if the partition
 * comes back, since a new assignment starts a new state. Thread-safe: each partition's state is
 * guarded by its own lock.
 *
 * <p>This is the pure part of the at-least-once commits of issue #14; the source does not use it
 * yet (the runtime has no "item done downstream" hook).
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
        boolean revoked;

        PartitionState(TopicPartition partition) {
            this.partition = partition;
        }
    }

    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();

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
            return true;
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
     * Drops the state of the partitions (revoked or lost by a rebalance): their tickets do nothing
     * from now on, and a partition assigned again starts afresh.
     */
    void revoke(Collection<TopicPartition> revoked) {
        for (TopicPartition tp : revoked) {
            PartitionState state = partitions.remove(tp);
            if (state != null) {
                synchronized (state) {
                    state.revoked = true;
                }
            }
        }
    }
}
