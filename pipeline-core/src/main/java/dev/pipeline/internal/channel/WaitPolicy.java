package dev.pipeline.internal.channel;

import java.util.concurrent.locks.LockSupport;

/**
 * How every blocking path of the engine and the runtime waits: spin, then yield, then park. One
 * instance is one wait of one thread; its tuning lives here and nowhere else.
 *
 * <p>On two cores a spinning waiter can starve the very thread it waits for. A waiting platform
 * thread yields {@link #YIELDS} times, then parks; it does not spin by default ({@link
 * #PLATFORM_SPINS}): a spinning waiter slowed the thread it waited for (it keeps pulling the ring's
 * cache lines to its core) and took core time from a third thread, while a yield, a system call,
 * polls at a gentler pace and hands the core to the stage being waited for when a pipeline has more
 * busy threads than cores. A waiting virtual thread spins up to {@link #VIRTUAL_SPINS} times with
 * {@link Thread#onSpinWait}, then parks (its park and unpark are cheap, no system call, and its
 * yields would only churn the carrier threads). A channel adapts its virtual spin per side ({@link
 * #adapt}, ADR 9). Only the first waiter of a channel side spins and yields; later ones park at
 * once (room or an item wakes them in turn). The counts are settable ({@code
 * -Dpipeline.channel.spins}, {@code -Dpipeline.channel.virtualSpins}, {@code
 * -Dpipeline.channel.yields}, {@code -Dpipeline.channel.virtualSpinProbe}); docs/performance.md
 * has the measurements behind the defaults.
 *
 * <p>A waiting loop re-checks its condition before every {@link #pause()}:
 *
 * <pre>{@code
 * WaitPolicy wait = WaitPolicy.begin();
 * while (!condition()) {
 *     if (wait.pause()) continue;          // spun or yielded: re-check
 *     register(); if (!condition()) wait.park(this);   // then re-check again
 * }
 * }</pre>
 *
 * Time counts as blocked from the first yield (or park) on, so the spin costs no clock reads. Used
 * by one thread, within one call; the JIT keeps it in registers.
 */
public final class WaitPolicy {

    /** Spins of a waiting platform thread before it yields. */
    static final int PLATFORM_SPINS = Integer.getInteger("pipeline.channel.spins", 0);

    /** Spins of a waiting virtual thread before it parks, at most (see {@link #adapt}). */
    static final int VIRTUAL_SPINS = Integer.getInteger("pipeline.channel.virtualSpins", 50);

    /** Yields of a waiting platform thread before it parks. */
    static final int YIELDS = Integer.getInteger("pipeline.channel.yields", 40);

    /**
     * The least spin phase of an adaptive virtual-thread waiter: a probe of whether to spin ({@code
     * -Dpipeline.channel.virtualSpinProbe}).
     */
    static final int MIN_VIRTUAL_SPINS =
            Math.min(Integer.getInteger("pipeline.channel.virtualSpinProbe", 4), VIRTUAL_SPINS);

    /** Spins of a wait for a claimed slot before {@link #slotBackOff} yields. */
    private static final int SLOT_SPINS = 64;

    private final int spinsUntil;
    private final int yieldsUntil;
    private int step;
    private long blockedSince;
    private boolean parked;

    private WaitPolicy(int spinsUntil, int yieldsUntil, int step) {
        this.spinsUntil = spinsUntil;
        this.yieldsUntil = yieldsUntil;
        this.step = step;
    }

    /** A wait of the current thread, with the fixed virtual spin. */
    public static WaitPolicy begin() {
        return begin(Thread.currentThread().isVirtual(), VIRTUAL_SPINS, true);
    }

    /**
     * A wait of a thread.
     *
     * @param virtual whether the waiting thread is virtual
     * @param virtualSpins the spin phase if it is (a channel side's adapted spin)
     * @param first whether it is the first waiter of its side: a later one parks at once
     */
    static WaitPolicy begin(boolean virtual, int virtualSpins, boolean first) {
        int spinsUntil = virtual ? virtualSpins : PLATFORM_SPINS;
        int yieldsUntil = virtual ? virtualSpins : PLATFORM_SPINS + YIELDS;
        return new WaitPolicy(spinsUntil, yieldsUntil, first ? 0 : yieldsUntil);
    }

    /** Whether the wait is still spinning: it has read no clock and checked no interrupt yet. */
    public boolean spinning() {
        return step < spinsUntil;
    }

    /**
     * One step before parking: a spin, or (past the spin phase) a yield.
     *
     * @return true after a spin or a yield (re-check the condition, then call again); false once
     *     the caller should register as a waiter, re-check and {@link #park}
     * @throws InterruptedException if the thread is interrupted once past the spin phase
     */
    public boolean pause() throws InterruptedException {
        int s = step;
        if (s < spinsUntil) {
            step = s + 1;
            Thread.onSpinWait();
            return true;
        }
        if (blockedSince == 0L) {
            blockedSince = System.nanoTime();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (s < yieldsUntil) {
            step = s + 1;
            Thread.yield();
            return true;
        }
        return false;
    }

    /** Parks until unparked (or spuriously); the caller re-checks its condition. */
    public void park(Object blocker) {
        parked = true;
        LockSupport.park(blocker);
    }

    /** Parks until unparked, {@code deadline} ({@link System#nanoTime}) or spuriously. */
    public void parkUntil(Object blocker, long deadline) {
        parked = true;
        LockSupport.parkNanos(blocker, deadline - System.nanoTime());
    }

    /** The time blocked so far: from the first yield or park, 0 if the wait only spun. */
    public long blockedNanos() {
        return blockedSince == 0L ? 0L : System.nanoTime() - blockedSince;
    }

    /**
     * A side's next virtual spin phase after this wait: halved after a wait that parked (its spin
     * did not see the other side move; down to {@link #MIN_VIRTUAL_SPINS}, which keeps probing),
     * doubled after one that ended without parking (up to {@link #VIRTUAL_SPINS}). Spinning pays
     * when the other side runs on another carrier; when virtual threads outnumber the carriers many
     * times over (a long chain of stages), the thread waited for is mostly not running and a spin
     * only holds a carrier it needs.
     */
    int adapt(int spins) {
        return adapted(spins, parked);
    }

    /** A side's next virtual spin phase after a wait that parked or not (see {@link #adapt}). */
    static int adapted(int spins, boolean parked) {
        return parked
                ? Math.max(MIN_VIRTUAL_SPINS, spins >> 1)
                : Math.min(VIRTUAL_SPINS, 2 * spins + 1);
    }

    /**
     * One step of waiting for another thread to finish a claimed slot (a producer publishing it, a
     * consumer freeing it): a spin, then yields after {@link #SLOT_SPINS} steps, so that a thread
     * preempted between its claim and its publication gets the core back (crossbeam's backoff).
     */
    static void slotBackOff(int step) {
        if (step < SLOT_SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
