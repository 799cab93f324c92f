package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A bounded channel on a lock-free array ring: Dmitry Vyukov's bounded MPMC queue ("Bounded MPMC
 * queue", 1024cores.net), one sequence number per slot.
 *
 * <p>Slot {@code i} with sequence {@code s}: {@code s == pos} means free for the producer of
 * position {@code pos}; {@code s == pos + 1} means holding the item of {@code pos}, ready for its
 * consumer; after the take it becomes {@code pos + capacity}, free for the next lap. A producer
 * claims {@code pos} with a CAS on {@code tail}, writes the item, then publishes with a release
 * store of the sequence; a consumer mirrors that on {@code head}. So {@code tail} counts items
 * accepted, {@code head} items taken, and their difference is the length, for free.
 *
 * <p>Memory ordering: the item write is ordered before the releasing sequence store, and the
 * consumer's acquiring sequence load before its item read. The CAS on {@code tail} (or {@code
 * head}) is the full fence of the wake-up handshake in {@link WaitQueue}: after it, the producer
 * reads the waiter count; a waiter that registered re-checks {@code tail != head} ({@link
 * #itemPending}), which also covers a slot claimed but not yet published.
 *
 * <p>Linearizable non-blocking answers (ADR 13, as crossbeam's {@code ArrayQueue}): a slot not yet
 * published for {@code pos} means "empty" only if {@code tail == pos} when read after it; if a
 * producer has claimed {@code pos} the item is already in the channel, and {@link #poll} waits
 * ({@link WaitPolicy#slotBackOff}) for its publication instead of answering "empty". Likewise a slot not yet
 * freed means "full" only if {@code tail - head >= capacity}; if its consumer has claimed it,
 * {@link #offer} waits for the release. So {@code tryReceive}, {@code trySend}, {@code drainTo}
 * and the timed forms say "empty" or "full" only when the channel was so at an instant of the
 * call. The wait is for a few instructions of a running thread (a yield if it was preempted).
 * The blocking loops use {@link #pollReady} and {@link #offerReady}, which skip that check (and
 * its read of the other side's index, a contended cache line): they re-check with {@link
 * #itemPending} or {@link #spacePending} before they park, and answer "empty" or "full" (a timed
 * call running out of time) only after one exact call.
 *
 * <p>Last receiver closed (ADR 13): {@code tail} is marked closed with one atomic OR, then the
 * items in {@code [head, tail)} are taken and dropped, so the buffer's memory goes at once and
 * every later claim fails; see {@link #releaseBuffered}.
 *
 * <p>{@code head} and {@code tail} sit on cache lines of their own (padding by inheritance, as in
 * JCTools), so producers and consumers do not false-share. The capacity is exact; a power of two
 * indexes with a mask, any other capacity with a remainder.
 *
 * @param <E> the item type
 */
final class RingChannel<E> extends RingHead<E> {

    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * Set in {@code tail} when the last receiver closes: a claim's CAS expects an unmarked {@code
     * tail}, so no offer succeeds after it (crossbeam's "mark bit"). The sign bit: positions stay
     * below 2^63, and an offer tests it with {@code pos < 0}.
     */
    static final long CLOSED_MARK = Long.MIN_VALUE;

    /** Sample the length for the high-water mark every this many sends (a power of two). */
    private static final long SAMPLE_MASK = 63;

    private final Object[] buffer;
    private final long[] sequence;
    private final int size; // slots in the ring: the capacity, but 2 for capacity 1
    private final int limit; // the capacity
    private final int mask; // size - 1 when size is a power of two, else -1

    RingChannel(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
        // With one slot, "published for the consumer of pos" (pos + 1) and "free for the producer
        // of pos + 1" (pos + size) are the same number: a producer would overwrite its own
        // unconsumed item. Two slots and a check against head keep capacity 1 exact.
        this.size = Math.max(2, capacity);
        this.limit = capacity;
        this.buffer = new Object[size];
        this.sequence = new long[size];
        for (int i = 0; i < size; i++) {
            sequence[i] = i;
        }
        this.mask = Integer.bitCount(size) == 1 ? size - 1 : -1;
    }

    private int index(long pos) {
        return mask >= 0 ? (int) (pos & mask) : (int) (pos % size);
    }

    @Override
    boolean offer(Object element) {
        return offer(element, true);
    }

    @Override
    boolean offerReady(Object element) {
        return offer(element, false);
    }

    @Override
    E poll() {
        return poll(true);
    }

    @Override
    E pollReady() {
        return poll(false);
    }

    /** {@link #offer}; {@code exact}: wait for a slot being freed instead of failing. */
    private boolean offer(Object element, boolean exact) {
        final long[] seq = this.sequence;
        long pos = tail;
        for (int step = 0; ; ) {
            if (pos < 0) {
                return false; // CLOSED_MARK: every receiver closed
            }
            int i = index(pos);
            long s = (long) SEQ.getAcquire(seq, i);
            long dif = s - pos;
            if (dif == 0) {
                if (size != limit && pos - head >= limit) {
                    return false; // capacity 1: the other slot is in use
                }
                long witness = (long) TAIL.compareAndExchange(this, pos, pos + 1);
                if (witness == pos) {
                    buffer[i] = element;
                    SEQ.setRelease(seq, i, pos + 1);
                    if ((pos & SAMPLE_MASK) == 0) {
                        sampleLength(pos + 1 - head);
                    }
                    return true;
                }
                pos = witness;
            } else if (dif < 0) {
                // the slot still holds the previous lap's item, or its consumer has claimed it and
                // not yet freed it: full only in the first case (then tail - head >= limit now)
                if (!exact || pos - head >= limit) {
                    return false;
                }
                WaitPolicy.slotBackOff(step++);
                pos = tail;
            } else {
                pos = tail;
            }
        }
    }

    /** {@link #poll}; {@code exact}: wait for a claimed slot's publication instead of failing. */
    private E poll(boolean exact) {
        final long[] seq = this.sequence;
        long pos = head;
        for (int step = 0; ; ) {
            int i = index(pos);
            long s = (long) SEQ.getAcquire(seq, i);
            long dif = s - (pos + 1);
            if (dif == 0) {
                long witness = (long) HEAD.compareAndExchange(this, pos, pos + 1);
                if (witness == pos) {
                    @SuppressWarnings("unchecked")
                    E e = (E) buffer[i];
                    buffer[i] = null;
                    SEQ.setRelease(seq, i, pos + size);
                    return e;
                }
                pos = witness;
            } else if (dif < 0) {
                // empty, or claimed by a producer and not yet published: empty only in the first
                // case (then head == tail == pos now); else the item is in the channel, wait
                if (!exact || (tail & ~CLOSED_MARK) == pos) {
                    return null;
                }
                WaitPolicy.slotBackOff(step++);
                pos = head;
            } else {
                pos = head;
            }
        }
    }

    @Override
    int pollBatch(Object[] dst, int from, int max) {
        final long[] seq = this.sequence;
        final Object[] buf = this.buffer;
        long pos = head;
        for (int step = 0; ; ) {
            // count the run of consecutive published slots starting at pos
            int k = 0;
            while (k < max && (long) SEQ.getAcquire(seq, index(pos + k)) == pos + k + 1) {
                k++;
            }
            if (k == 0) {
                long s = (long) SEQ.getAcquire(seq, index(pos));
                if (s - (pos + 1) < 0) {
                    if ((tail & ~CLOSED_MARK) == pos) {
                        return 0; // empty now
                    }
                    WaitPolicy.slotBackOff(
                            step++); // claimed and not yet published: wait, as in poll
                }
                pos = head; // or another consumer moved on
                continue;
            }
            long witness = (long) HEAD.compareAndExchange(this, pos, pos + k);
            if (witness != pos) {
                pos = witness;
                continue;
            }
            // the slots stay published: only a consumer that moved head past pos could take them.
            // Items are copied and cleared in bulk (up to the array's end, then from its start);
            // then each slot is freed by its releasing sequence store.
            int i0 = index(pos);
            int first = Math.min(k, size - i0);
            System.arraycopy(buf, i0, dst, from, first);
            Arrays.fill(buf, i0, i0 + first, null);
            if (first < k) {
                System.arraycopy(buf, 0, dst, from + first, k - first);
                Arrays.fill(buf, 0, k - first, null);
            }
            for (int j = 0; j < k; j++) {
                SEQ.setRelease(seq, index(pos + j), pos + j + size);
            }
            return k;
        }
    }

    @Override
    int offerBatch(Object[] src, int from, int n) {
        final long[] seq = this.sequence;
        final Object[] buf = this.buffer;
        long pos = tail;
        for (int step = 0; ; ) {
            if (pos < 0) {
                return 0; // CLOSED_MARK: every receiver closed
            }
            int room = n;
            if (size != limit) {
                room = (int) Math.min(room, Math.max(0L, limit - (pos - head)));
            }
            // count the run of consecutive free slots starting at pos
            int k = 0;
            while (k < room && (long) SEQ.getAcquire(seq, index(pos + k)) == pos + k) {
                k++;
            }
            if (k == 0) {
                long s = (long) SEQ.getAcquire(seq, index(pos));
                if (room == 0) {
                    return 0; // full (capacity 1)
                }
                if (s - pos < 0) {
                    if (pos - head >= limit) {
                        return 0; // full now
                    }
                    WaitPolicy.slotBackOff(
                            step++); // its consumer has not yet freed the slot: wait, as in offer
                }
                pos = tail; // or another producer moved on
                continue;
            }
            long witness = (long) TAIL.compareAndExchange(this, pos, pos + k);
            if (witness != pos) {
                pos = witness;
                continue;
            }
            // the slots stay free: only a producer that moved tail past pos could fill them.
            // Items are copied in bulk, then each slot is published by its releasing store.
            int i0 = index(pos);
            int first = Math.min(k, size - i0);
            System.arraycopy(src, from, buf, i0, first);
            if (first < k) {
                System.arraycopy(src, from + first, buf, 0, k - first);
            }
            for (int j = 0; j < k; j++) {
                SEQ.setRelease(seq, index(pos + j), pos + j + 1);
            }
            if (((pos + k) & ~SAMPLE_MASK) != (pos & ~SAMPLE_MASK)) {
                sampleLength(pos + k - head);
            }
            return k;
        }
    }

    /**
     * Closes {@code tail} to claims ({@link #CLOSED_MARK}), then drops the items of {@code [head,
     * tail)}: every offer whose claim came first is in that range ({@link #poll} waits for its
     * publication), every later one fails and its sender sees "disconnected".
     */
    @Override
    void releaseBuffered() {
        TAIL.getAndBitwiseOr(this, CLOSED_MARK);
        pollAndDropAll();
    }

    @Override
    boolean itemPending() {
        return (tail & ~CLOSED_MARK) != head;
    }

    @Override
    boolean spacePending() {
        return (tail & ~CLOSED_MARK) - head < limit;
    }

    @Override
    long sentCount() {
        return tail & ~CLOSED_MARK;
    }

    @Override
    long receivedCount() {
        return head;
    }

    @Override
    public long length() {
        long h = head;
        long t = tail & ~CLOSED_MARK;
        return Math.max(0L, Math.min(limit, t - h));
    }
}

/** Padding: keeps {@code tail} off the cache lines of the fields before it. */
abstract class RingPad0<E> extends ChannelCore<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;

    RingPad0(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** The producers' index: items accepted so far. */
abstract class RingTail<E> extends RingPad0<E> {
    static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(RingTail.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long tail;

    RingTail(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** Padding between {@code tail} and {@code head}. */
abstract class RingPad1<E> extends RingTail<E> {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

    RingPad1(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** The consumers' index: items taken so far. */
abstract class RingHeadField<E> extends RingPad1<E> {
    static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(RingHeadField.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long head;

    RingHeadField(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** Padding: keeps {@code head} off the cache lines of the fields after it. */
abstract class RingHead<E> extends RingHeadField<E> {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;

    RingHead(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}
