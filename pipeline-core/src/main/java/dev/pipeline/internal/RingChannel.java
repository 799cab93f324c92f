package dev.pipeline.internal;

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
 * <p>{@code head} and {@code tail} sit on cache lines of their own (padding by inheritance, as in
 * JCTools), so producers and consumers do not false-share. The capacity is exact; a power of two
 * indexes with a mask, any other capacity with a remainder.
 *
 * @param <E> the item type
 */
final class RingChannel<E> extends RingHead<E> {

    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

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
        final long[] seq = this.sequence;
        long pos = tail;
        for (; ; ) {
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
                return false; // the slot still holds the item of the previous lap: full
            } else {
                pos = tail;
            }
        }
    }

    @Override
    E poll() {
        final long[] seq = this.sequence;
        long pos = head;
        for (; ; ) {
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
                return null; // empty, or claimed and not yet published (see itemPending)
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
        for (; ; ) {
            // count the run of consecutive published slots starting at pos
            int k = 0;
            while (k < max && (long) SEQ.getAcquire(seq, index(pos + k)) == pos + k + 1) {
                k++;
            }
            if (k == 0) {
                long s = (long) SEQ.getAcquire(seq, index(pos));
                if (s - (pos + 1) < 0) {
                    return 0; // empty, or claimed and not yet published
                }
                pos = head; // another consumer moved on
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
        for (; ; ) {
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
                if (s - pos < 0 || room == 0) {
                    return 0; // full
                }
                pos = tail; // another producer moved on
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

    @Override
    boolean itemPending() {
        return tail != head;
    }

    @Override
    boolean spacePending() {
        return tail - head < limit;
    }

    @Override
    long sentCount() {
        return tail;
    }

    @Override
    long receivedCount() {
        return head;
    }

    @Override
    public long length() {
        long h = head;
        long t = tail;
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
