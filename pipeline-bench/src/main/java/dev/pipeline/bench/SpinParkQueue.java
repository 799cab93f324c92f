package dev.pipeline.bench;

import org.jctools.queues.MessagePassingQueue;

import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocking {@code put}/{@code take} over a non-blocking JCTools queue, so JCTools can stand in the
 * same blocking benchmarks as the channels: the waiting strategy a careful user would write.
 *
 * <p>A call that cannot proceed waits in the phases pipeline's channels use by default, so that
 * neither side gets a better-tuned wait: on a platform thread it yields {@value
 * #PLATFORM_YIELDS} times without spinning first ({@value #PLATFORM_SPINS} spins); on a virtual
 * thread it spins {@value #VIRTUAL_SPINS} times with {@link Thread#onSpinWait} and does not yield
 * (pipeline's upper bound: its virtual spin adapts below that, ADR 9). Then it registers as a
 * waiter, re-checks, and parks. (Until 2026-11-28 this wrapper spun 200 times and yielded 10 on
 * every thread, pipeline's defaults of an earlier commit; spinning was measured to cost a lot on
 * two cores, where the spinning thread holds the core the other side needs.)
 *
 * <p>Wake-up (a Dekker-style handshake, as in pipeline's {@code WaitQueue}): a waiter registers
 * (an atomic increment, a full fence), re-checks the queue, then parks; a waker changes the queue,
 * issues a full fence, then reads the waiter count (one volatile read) and unparks the registered
 * waiters. Either the waker sees the registration or the waiter's re-check sees the change, so no
 * wake-up is lost. Without the waker's fence (JCTools' SPSC offer and its polls are plain release
 * stores) the count read could pass the queue store and a waiter would sleep until its timeout:
 * that cost JCTools tens of microseconds a round trip in the ping-pong benchmark. The fence costs
 * a few nanoseconds per operation, about what the CAS of an MPSC offer or of pipeline's channel
 * costs. The park is still timed ({@value #PARK_NANOS} ns) as a safety net.
 *
 * @param <E> the item type
 */
final class SpinParkQueue<E> {
    static final int PLATFORM_SPINS = 0;
    static final int PLATFORM_YIELDS = 40;
    static final int VIRTUAL_SPINS = 50;
    static final long PARK_NANOS = 50_000;

    private final MessagePassingQueue<E> queue;
    private final Waiters notEmpty = new Waiters();
    private final Waiters notFull = new Waiters();

    SpinParkQueue(MessagePassingQueue<E> queue) {
        this.queue = queue;
    }

    /** Adds {@code e}, waiting while the queue is full. */
    void put(E e) {
        final MessagePassingQueue<E> q = queue;
        if (q.offer(e)) {
            notEmpty.wake();
            return;
        }
        final int spins = spins();
        final int yields = spins + yields();
        for (int i = 0; !q.offer(e); i++) {
            if (i < spins) {
                Thread.onSpinWait();
            } else if (i < yields) {
                Thread.yield();
            } else {
                notFull.park(this, false);
            }
        }
        notEmpty.wake();
    }

    /** Takes the next item, waiting while the queue is empty. */
    E take() {
        final MessagePassingQueue<E> q = queue;
        E e = q.poll();
        if (e != null) {
            notFull.wake();
            return e;
        }
        final int spins = spins();
        final int yields = spins + yields();
        for (int i = 0; (e = q.poll()) == null; i++) {
            if (i < spins) {
                Thread.onSpinWait();
            } else if (i < yields) {
                Thread.yield();
            } else {
                notEmpty.park(this, true);
            }
        }
        notFull.wake();
        return e;
    }

    private static int spins() {
        return Thread.currentThread().isVirtual() ? VIRTUAL_SPINS : PLATFORM_SPINS;
    }

    private static int yields() {
        return Thread.currentThread().isVirtual() ? 0 : PLATFORM_YIELDS;
    }

    private boolean ready(boolean forTake) {
        return forTake ? !queue.isEmpty() : queue.size() < queue.capacity();
    }

    /** The threads parked on one side. */
    private static final class Waiters {
        private final AtomicInteger count = new AtomicInteger();
        private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        void park(SpinParkQueue<?> owner, boolean forTake) {
            Thread me = Thread.currentThread();
            threads.add(me);
            count.incrementAndGet(); // a full fence before the re-check
            try {
                if (!owner.ready(forTake)) {
                    LockSupport.parkNanos(owner, PARK_NANOS);
                }
            } finally {
                count.decrementAndGet();
                threads.remove(me);
            }
        }

        void wake() {
            VarHandle.fullFence(); // order the queue change before the count read
            if (count.get() != 0) {
                for (Thread t : threads) {
                    LockSupport.unpark(t);
                }
            }
        }
    }
}
