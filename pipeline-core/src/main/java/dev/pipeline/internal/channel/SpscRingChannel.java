package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;

import java.util.Arrays;

/**
 * A bounded channel for exactly one sending thread and one receiving thread: a ring with two
 * indices (Lamport's queue) and no per-slot sequence and no CAS. The pipeline runtime uses it for
 * an edge whose two ends it owns, each driven by one thread and never handed to user code; every
 * other bounded channel is a {@link RingChannel}.
 *
 * <p>The producer writes items into slots, then publishes them all with one store of {@code
 * tail}; the consumer reads slots, then frees them with one store of {@code head}. So a run of
 * {@code k} items costs each side one index store and, when its cached copy of the other index
 * runs out, one index load: the cache lines that cross cores are the items' slots and two indices,
 * not a sequence number per slot.
 *
 * <p>The consumer clears the slots it takes, in bulk: one {@code Arrays.fill} over each run it
 * copied out, before the store of {@code head} that frees them. So the ring refers to the items in
 * flight and nothing else: an item taken is not kept reachable by its slot until the producer
 * comes round to it (ADR 16, which replaces ADR 10's "no clearing" with its measured cost). When
 * both ends are closed the ring drops whatever is left ({@link #bothSidesClosed}), since a finished
 * run's metrics can keep the channel itself reachable. The edge's channel is the run's own, never
 * seen by user code.
 *
 * <p>Memory ordering: slot writes happen before the volatile store of {@code tail} that publishes
 * them; the consumer's volatile load of {@code tail} happens before its slot reads (and mirrored for
 * {@code head} and the slots it frees). The index stores are volatile, not just releasing: each is
 * the full fence of the wake-up handshake in {@link WaitQueue}, after which the writer reads the
 * other side's waiter count.
 *
 * <p>Single-threaded ends are the caller's promise, not checked: two threads sending (or two
 * receiving) at once would overwrite each other's slots.
 *
 * @param <E> the item type
 */
final class SpscRingChannel<E> extends SpscHead<E> {

    /** Sample the length for the high-water mark every this many items (a power of two). */
    private static final long SAMPLE_MASK = 63;

    private final Object[] buffer;
    private final int limit; // the capacity
    private final int mask; // capacity - 1 when it is a power of two, else -1

    SpscRingChannel(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
        this.limit = capacity;
        this.buffer = new Object[capacity];
        this.mask = Integer.bitCount(capacity) == 1 ? capacity - 1 : -1;
    }

    private int index(long pos) {
        return mask >= 0 ? (int) (pos & mask) : (int) (pos % limit);
    }

    /** Free slots from the producer's view, refreshing its copy of {@code head} when short. */
    private long room(long t, long wanted) {
        long free = limit - (t - headCache);
        if (free < wanted) {
            headCache = head;
            free = limit - (t - headCache);
        }
        return free;
    }

    /** Ready items from the consumer's view, refreshing its copy of {@code tail} when short. */
    private long ready(long h, long wanted) {
        long avail = tailCache - h;
        if (avail < wanted) {
            tailCache = tail;
            avail = tailCache - h;
        }
        return avail;
    }

    @Override
    boolean offer(Object element) {
        long t = tail;
        if (room(t, 1) <= 0) {
            return false;
        }
        buffer[index(t)] = element;
        tail = t + 1;
        if ((t & SAMPLE_MASK) == 0) {
            sampleLength(t + 1 - head);
        }
        return true;
    }

    @Override
    E poll() {
        long h = head;
        if (ready(h, 1) <= 0) {
            return null;
        }
        int i = index(h);
        @SuppressWarnings("unchecked")
        E e = (E) buffer[i];
        buffer[i] = null;
        head = h + 1;
        return e;
    }

    @Override
    int pollBatch(Object[] dst, int from, int max) {
        long h = head;
        int k = (int) Math.min(max, ready(h, max));
        if (k <= 0) {
            return 0;
        }
        final Object[] buf = this.buffer;
        int i = index(h);
        int first = Math.min(k, limit - i); // up to the end of the array, then from its start
        System.arraycopy(buf, i, dst, from, first);
        Arrays.fill(buf, i, i + first, null);
        if (first < k) {
            System.arraycopy(buf, 0, dst, from + first, k - first);
            Arrays.fill(buf, 0, k - first, null);
        }
        head = h + k; // frees the cleared slots: the clearing happens-before the producer's reuse
        return k;
    }

    @Override
    int offerBatch(Object[] src, int from, int n) {
        long t = tail;
        int k = (int) Math.min(n, room(t, n));
        if (k <= 0) {
            return 0;
        }
        final Object[] buf = this.buffer;
        int i = index(t);
        int first = Math.min(k, limit - i);
        System.arraycopy(src, from, buf, i, first);
        if (first < k) {
            System.arraycopy(src, from + first, buf, 0, k - first);
        }
        tail = t + k;
        if (((t + k) & ~SAMPLE_MASK) != (t & ~SAMPLE_MASK)) {
            sampleLength(t + k - head);
        }
        return k;
    }

    @Override
    void bothSidesClosed() {
        Arrays.fill(buffer, null);
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

/** Padding: keeps the producer's fields off the cache lines of the fields before them. */
abstract class SpscPad0<E> extends ChannelCore<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;

    SpscPad0(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** The producer's fields: items published so far, and its copy of {@code head}. */
abstract class SpscTail<E> extends SpscPad0<E> {
    volatile long tail;

    /** The producer's last look at {@code head}; only the producer reads or writes it. */
    long headCache;

    SpscTail(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** Padding between the producer's and the consumer's fields. */
abstract class SpscPad1<E> extends SpscTail<E> {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

    SpscPad1(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** The consumer's fields: items taken so far, and its copy of {@code tail}. */
abstract class SpscHeadField<E> extends SpscPad1<E> {
    volatile long head;

    /** The consumer's last look at {@code tail}; only the consumer reads or writes it. */
    long tailCache;

    SpscHeadField(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}

/** Padding: keeps the consumer's fields off the cache lines of the fields after them. */
abstract class SpscHead<E> extends SpscHeadField<E> {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;

    SpscHead(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }
}
