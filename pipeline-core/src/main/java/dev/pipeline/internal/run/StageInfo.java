package dev.pipeline.internal.run;

import dev.pipeline.StageMetrics;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelStats;
import dev.pipeline.channel.Receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The runtime record of one stage of a run: its name, worker count, the channels it reads and
 * writes, and when its workers started and ended.
 *
 * <p>Metrics come from the channels' own counters, so the stage loops count nothing per item:
 * items in are what the stage took from its inputs, items out what it sent; blocked time is what
 * the channels measured on the stage's side; busy time is the rest of the workers' lifetime.
 *
 * <p>Threading. What the stage reads is recorded while the run is wired, on the wiring thread,
 * before any thread starts; the workers' start and end and the dead-letter waits are recorded by
 * the stage's threads under this object's lock; {@link #metrics} may be called from any thread.
 */
public final class StageInfo {
    final String name;
    final int workers;
    final boolean virtual;
    final PolicySpec policy;

    /** The channels the stage's items come from (items in). */
    final List<Channel<?>> inputs = new ArrayList<>();

    /** The channels its workers wait on for input (blocked receiving). */
    final List<Channel<?>> waitChannels = new ArrayList<>();

    /** Its output, null for a terminal. */
    Channel<?> output;

    private volatile long startNanos;
    private volatile long endNanos;

    /** The stage's live status line, set by its own code ({@link #status(Supplier)}); or null. */
    private volatile Supplier<String> status;

    private int liveWorkers;

    // Sends of dead letters waiting for room (guarded by this; the error path only). The time of
    // the waits in progress is waiters * now - waitStarts: sums of System.nanoTime() values may
    // wrap, but the difference is exact in two's complement while the true value fits a long.
    private int deadLetterWaiters;
    private long deadLetterWaitStarts;
    private long deadLetterWaitedNanos;

    StageInfo(String name, int workers, boolean virtual, PolicySpec policy) {
        this.name = name;
        this.workers = workers;
        this.virtual = virtual;
        this.policy = policy;
    }

    /** Records {@code in} as an input the stage takes items from and waits on; returns it. */
    public <R extends Receiver<?>> R reads(R in) {
        inputs.add(in.channel());
        waitChannels.add(in.channel());
        return in;
    }

    /** {@link #reads} for each of {@code ins}. */
    public void readsAll(List<? extends Receiver<?>> ins) {
        for (Receiver<?> in : ins) {
            reads(in);
        }
    }

    /**
     * Records {@code input} as a channel the stage takes items from (items in) while its workers
     * wait elsewhere (a coordinator thread reads it).
     */
    public void takesFrom(Channel<?> input) {
        inputs.add(input);
    }

    /** Records {@code ch} as a channel the stage's workers wait on for items (blocked receiving). */
    public void waitsOn(Channel<?> ch) {
        waitChannels.add(ch);
    }

    /** A worker thread of the stage starts ({@link ThreadKind#WORKER}). */
    synchronized void workerStarted() {
        if (liveWorkers++ == 0 && startNanos == 0) {
            startNanos = System.nanoTime();
        }
    }

    /** A worker thread of the stage ends. */
    synchronized void workerEnded() {
        if (--liveWorkers == 0) {
            endNanos = System.nanoTime();
        }
    }

    /** A worker starts waiting for room in the dead-letter channel; returns the time it started. */
    public synchronized long deadLetterWaitStarted() {
        long now = System.nanoTime();
        deadLetterWaiters++;
        deadLetterWaitStarts += now;
        return now;
    }

    /** The wait begun at {@code since} by {@link #deadLetterWaitStarted} has ended. */
    public synchronized void deadLetterWaitEnded(long since) {
        deadLetterWaiters--;
        deadLetterWaitStarts -= since;
        deadLetterWaitedNanos += System.nanoTime() - since;
    }

    /** Gives the stage a live status line, shown in the metrics (a tracked source's, say). */
    public void status(Supplier<String> newStatus) {
        status = newStatus;
    }

    /**
     * The stage's status line now, or "" if it has none; a supplier that fails shows as such
     * rather than failing the snapshot.
     */
    private String statusNow() {
        Supplier<String> s = status;
        if (s == null) {
            return "";
        }
        try {
            String line = s.get();
            return line == null ? "" : line;
        } catch (RuntimeException e) {
            return "(status unavailable: " + e + ")";
        }
    }

    /** The name of the stage's dead-letter channel, or null if its policy sends none. */
    String deadLetterChannel() {
        return policy.sink() == null ? null : policy.sink().channel().name();
    }

    /** The stage's metrics now. */
    StageMetrics metrics() {
        long in = 0;
        for (Channel<?> c : inputs) {
            in += c.stats().received();
        }
        long blockedReceiving = 0;
        for (Channel<?> c : waitChannels) {
            blockedReceiving += c.stats().receiveBlockedNanos();
        }
        long out;
        long blockedSending;
        if (output != null) {
            ChannelStats s = output.stats();
            out = s.sent();
            blockedSending = s.sendBlockedNanos();
        } else {
            out = in;
            blockedSending = 0;
        }
        long blockedDeadLetter;
        boolean onDeadLetterNow;
        synchronized (this) {
            onDeadLetterNow = deadLetterWaiters > 0;
            blockedDeadLetter =
                    deadLetterWaitedNanos
                            + deadLetterWaiters * System.nanoTime()
                            - deadLetterWaitStarts;
        }
        long start = startNanos;
        long end = endNanos;
        long elapsed = start == 0 ? 0 : (end != 0 ? end : System.nanoTime()) - start;
        long busy =
                Math.max(
                        0,
                        workers * elapsed - blockedReceiving - blockedSending - blockedDeadLetter);
        return new StageMetrics(
                name,
                workers,
                in,
                out,
                busy,
                blockedSending,
                blockedReceiving,
                blockedDeadLetter,
                onDeadLetterNow,
                statusNow());
    }
}
