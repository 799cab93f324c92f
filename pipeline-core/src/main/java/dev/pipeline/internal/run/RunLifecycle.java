package dev.pipeline.internal.run;

import dev.pipeline.PipelineMetrics;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.ChannelInterruptedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Durations;
import dev.pipeline.internal.channel.RunChannelClosedException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The lifecycle of one run: starts its threads, runs each stage thread's body and teardown,
 * records the first failure, cancels, and tells the caller how the run ended. It does nothing
 * else: {@link RunWiring} makes the blueprint into channels and threads and hands each thread to
 * it before the run starts. This object is also the run's identity as the owner of its channels
 * ({@link #isSignal}).
 *
 * <p>Lifecycle. Every thread is created while the run is wired, on the caller's thread, and all
 * are started together under this object's lock. Each thread, when its body ends, closes its
 * receivers (cancelling upstream) and closes its senders, or fails them with its error. The run is
 * done when the last thread has ended; {@link #await} then joins every thread, so when a terminal
 * returns no thread of the run is alive.
 *
 * <p>Failure and cancellation. The first failure is recorded with its stage's name, later ones are
 * suppressed in it, and every other thread is interrupted. A stage stopped by the run winding down
 * ({@link InterruptedException} after the run was stopped, a send that found no receiver, a
 * receive that found its input failed) is quiet: not a failure. {@link #cancel} interrupts every
 * thread and makes {@link #await} throw {@link CancellationException}.
 *
 * <p>Threading. Stage threads call {@link #stopIfStopping}, {@link #failing}, {@link #isSignal}
 * and {@link #setResult}; any thread may call {@link #cancel}, {@link #isDone} and {@link #await}
 * (except a thread of the run itself, which {@link #await} refuses). The state that decides the
 * outcome is guarded by this object's lock; the flags read on the stage loops' path are volatile.
 * The failure path allocates nothing where it may run with the heap full (ADR 17).
 */
public final class RunLifecycle {
    /**
     * The run-summary logger, made at its first use: SLF4J's start-up (finding its provider) costs
     * a short-lived program about 20 ms, which a run that logs nothing should not pay.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("dev.pipeline.Pipeline");
    }

    /** Builds the caller-facing exception for a failure. */
    public interface FailureMapper {
        /**
         * Maps a failure.
         *
         * @param pipeline the pipeline's name
         * @param stage the failed stage's name
         * @param cause the first failure
         * @param later failures of other stages while the run wound down
         * @return the exception to throw
         */
        RuntimeException map(String pipeline, String stage, Throwable cause, List<Throwable> later);
    }

    private final String pipelineName;
    private final boolean logSummary;
    private final FailureMapper failureMapper;

    /** The run's metrics, for the report logged at the end. */
    private final Supplier<PipelineMetrics> metrics;

    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);

    private int live;
    private boolean started;
    private volatile boolean stopping;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    private volatile String failedStage;
    private final List<Throwable> laterFailures = new ArrayList<>();
    private volatile Object result;
    private volatile boolean hasResult;
    private volatile long startNanos;
    private volatile long endNanos;

    /**
     * Creates the lifecycle of a run.
     *
     * @param pipelineName the pipeline's name (for messages and the report)
     * @param logSummary whether to log the report at the end
     * @param failureMapper builds the exception {@link #await} throws on failure
     * @param metrics the run's live metrics (for the report)
     */
    RunLifecycle(
            String pipelineName,
            boolean logSummary,
            FailureMapper failureMapper,
            Supplier<PipelineMetrics> metrics) {
        this.pipelineName = pipelineName;
        this.logSummary = logSummary;
        this.failureMapper = failureMapper;
        this.metrics = metrics;
    }

    // ---- before the start (the wiring thread)

    /**
     * Takes {@code t}, created unstarted while the run is wired, as one of the run's threads;
     * {@link #start} starts it.
     */
    void adopt(Thread t) {
        threads.add(t);
    }

    /** The run's task for a stage thread running {@code body}; see {@link RunWiring#spawn}. */
    Runnable task(
            StageInfo stage,
            ThreadKind kind,
            Body body,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        return new StageTask(stage, kind, body, receivers, senders);
    }

    /** Wiring failed before any thread started: lets go of the threads, which never run. */
    void abandon() {
        synchronized (this) {
            threads.clear();
        }
    }

    /**
     * Starts every thread together. A thread that cannot start (out of threads) fails the run, and
     * what did start is stopped.
     */
    void start() {
        int notStarted = 0;
        Throwable startFailure = null;
        synchronized (this) {
            live = threads.size();
            started = true;
            startNanos = System.nanoTime();
            for (int i = 0; i < threads.size(); i++) {
                try {
                    threads.get(i).start();
                } catch (RuntimeException | Error e) {
                    // out of threads: the run fails, and what did start is stopped
                    startFailure = e;
                    notStarted = threads.size() - i;
                    threads.subList(i, threads.size()).clear();
                    break;
                }
            }
        }
        if (startFailure != null) {
            recordFailure("<start>", startFailure);
            for (int i = 0; i < notStarted; i++) {
                threadEnded();
            }
        }
    }

    // ---- the stage threads

    /** A stage thread's work: a plain blocking loop; any {@link Throwable} it throws ends it. */
    public interface Body {
        /** Runs the stage thread's work. */
        void run() throws Exception;
    }

    /**
     * A stage thread's task. The run keeps its threads (to interrupt and join them) and a thread
     * keeps its task after it ends, so the task lets go of the stage's work (the body, and through
     * it the stage's state and buffers) as it starts: a finished run, which the caller may keep for
     * its metrics, holds none of its items.
     */
    private final class StageTask implements Runnable {
        private final StageInfo stage;
        private final ThreadKind kind;
        private final List<? extends Receiver<?>> receivers;
        private final List<? extends Sender<?>> senders;
        private Body body;

        StageTask(
                StageInfo stage,
                ThreadKind kind,
                Body body,
                List<? extends Receiver<?>> receivers,
                List<? extends Sender<?>> senders) {
            this.stage = stage;
            this.kind = kind;
            this.body = body;
            this.receivers = receivers;
            this.senders = senders;
        }

        @Override
        public void run() {
            Body b = body;
            body = null;
            runStage(stage, kind, b, receivers, senders);
        }
    }

    /**
     * Runs a stage's body, then its teardown: closes its receivers, closes or fails its senders,
     * and counts the thread out. Any {@link Throwable} ends the stage (as a failure unless it is the
     * run's own stop signal), and the teardown must complete even when it cannot allocate (the
     * body threw {@link OutOfMemoryError} and the heap is still full): every step is guarded on
     * its own, and the thread is always counted out, or {@link #await} would wait forever.
     */
    private void runStage(
            StageInfo stage,
            ThreadKind kind,
            Body body,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        Throwable error = null;
        try {
            if (kind == ThreadKind.WORKER) {
                stage.workerStarted();
            }
            if (!stopping) {
                body.run();
            }
        } catch (Throwable t) {
            error = t;
        }
        try {
            if (error != null) {
                error = classify(stage.name, error, senders);
            }
        } catch (Throwable t) {
            // classifying failed (no memory to record it as usual): fail the run all the same
            failLastResort(stage.name, error);
        }
        try {
            teardown(error, receivers, senders);
        } finally {
            try {
                if (kind == ThreadKind.WORKER) {
                    stage.workerEnded();
                }
            } finally {
                threadEnded();
            }
        }
    }

    /** Closes {@code receivers}, then closes or fails {@code senders}: each step on its own. */
    private void teardown(
            Throwable error,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        for (int i = 0; i < receivers.size(); i++) {
            try {
                receivers.get(i).close();
            } catch (Throwable t) {
                stopAfterTeardownFailure(t);
            }
        }
        for (int i = 0; i < senders.size(); i++) {
            Sender<?> tx = senders.get(i);
            try {
                if (!tx.isClosed()) {
                    if (error != null) {
                        tx.fail(error);
                    } else {
                        tx.close();
                    }
                }
            } catch (Throwable t) {
                stopAfterTeardownFailure(t);
            }
        }
    }

    /**
     * A handle could not be closed (out of memory, say), so a neighbour may wait on it: the run
     * fails, and every thread is interrupted, which wakes any such wait.
     */
    private void stopAfterTeardownFailure(Throwable t) {
        try {
            recordFailure("<teardown>", t);
        } catch (Throwable again) {
            failLastResort("<teardown>", t);
        }
    }

    /**
     * Records {@code t} as the run's failure and stops every thread without allocating: the last
     * resort when recording it as usual threw (as it may when memory is exhausted).
     */
    private void failLastResort(String stageName, Throwable t) {
        synchronized (this) {
            if (failure == null && !cancelled) {
                failure = t;
                failedStage = stageName;
            }
        }
        stopAll();
    }

    /**
     * Decides whether a stage's exception is a failure, and records it if so; returns what to fail
     * its outputs with (null: a quiet stop). Calling it again with the same exception records
     * nothing more, so a stage may call it as soon as it fails ({@link #failing}) and its thread's
     * teardown again.
     */
    private Throwable classify(String stageName, Throwable t, List<? extends Sender<?>> senders) {
        if (t instanceof ForeignFailure f) {
            recordFailure(stageName, f.getCause());
            return f.getCause();
        }
        if (isSignal(t)) {
            // this run's channel: input failed upstream (already recorded there), pass it on;
            // else downstream is gone. A ChannelClosedException from any other channel (user
            // code's own) is a failure like any other exception.
            ChannelClosedException cce = (ChannelClosedException) t;
            return cce.isFailure() ? cce.getCause() : null;
        }
        if (stopping && (cancelled || isInterruption(t))) {
            return null;
        }
        if (!stopping && !senders.isEmpty() && allDisconnected(senders)) {
            // nobody wants this stage's output any more (an early exit downstream): cancelled.
            // While a failure winds the run down, downstream is gone because of it: not so.
            return null;
        }
        recordFailure(stageName, t);
        return t;
    }

    /**
     * Records at once a failure that {@code stageName} is about to end with, so that the rest of
     * the run starts stopping before the stage's own teardown (which first publishes the outputs
     * it holds) has run: upstream then stops within about a capacity per edge, however late the
     * failing thread is scheduled again.
     *
     * @param out the stage's output, or null
     */
    public void failing(String stageName, Throwable t, Sender<?> out) {
        classify(stageName, t, out == null ? List.of() : List.of(out));
    }

    /**
     * Whether {@code t} is this run's own closure signal (a {@link ChannelClosedException} from a
     * channel the run created), as opposed to one that user code threw.
     */
    public boolean isSignal(Throwable t) {
        return RunChannelClosedException.isSignalOf(t, this);
    }

    private static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof ChannelInterruptedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean allDisconnected(List<? extends Sender<?>> senders) {
        for (Sender<?> tx : senders) {
            // receivers gone (not merely failed by a sibling worker): nobody reads this output
            if (!tx.channel().stats().closedForReceiving()) {
                return false;
            }
        }
        return true;
    }

    private void recordFailure(String stageName, Throwable t) {
        // at once, before the lock (which a virtual thread may have to wait for, unmounted): the
        // other stages check this flag once per run of items and stop
        stopping = true;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (failure == null) {
                failure = t;
                failedStage = stageName;
            } else {
                if (t != failure && !isLaterFailure(t)) {
                    try {
                        laterFailures.add(t);
                    } catch (Throwable oom) {
                        // out of memory: the first failure is what the run reports
                    }
                }
                return;
            }
        }
        stopAll();
    }

    /** Whether {@code t} is recorded as a later failure already (a stage may report it twice). */
    private boolean isLaterFailure(Throwable t) {
        for (int i = 0; i < laterFailures.size(); i++) {
            if (laterFailures.get(i) == t) {
                return true;
            }
        }
        return false;
    }

    /** Records the terminal's result (set by the terminal stage when it completes normally). */
    public void setResult(Object value) {
        result = value;
        hasResult = true;
    }

    /** Stops every thread: sets {@link #stopping} and interrupts them (allocates nothing). */
    private void stopAll() {
        synchronized (this) {
            stopping = true;
            if (!started) {
                return;
            }
            Thread self = Thread.currentThread();
            for (int i = 0; i < threads.size(); i++) {
                Thread t = threads.get(i);
                if (t != self) {
                    try {
                        t.interrupt();
                    } catch (Throwable e) {
                        // keep on with the others
                    }
                }
            }
        }
    }

    /**
     * Whether the run is stopping (a stage failed, or the run was cancelled): an item a stage
     * could not hand on then is not done, whatever closed the channel (ADR 19).
     */
    public boolean isStopping() {
        return stopping;
    }

    /**
     * Ends the calling stage as interrupted once the run is stopping (a stage failed, or the run
     * was cancelled). Stage loops call it once per run of items: a stage that finds items ready and
     * room to send never blocks, so an interrupt alone would not reach it until some channel
     * filled up, and the stages upstream of a failure would go on producing.
     *
     * @throws InterruptedException if the run is stopping
     */
    public void stopIfStopping() throws InterruptedException {
        if (stopping) {
            throw new InterruptedException("pipeline '" + pipelineName + "' is stopping");
        }
    }

    private void threadEnded() {
        boolean last;
        synchronized (this) {
            last = --live == 0;
        }
        if (last) {
            endNanos = System.nanoTime();
            if (logSummary) {
                try {
                    Log.LOG.info(
                            "pipeline '{}' {}\n{}",
                            pipelineName,
                            failure != null
                                    ? "failed in stage '" + failedStage + "'"
                                    : cancelled ? "was cancelled" : "completed",
                            metrics.get().report());
                } catch (Throwable e) {
                    // logging must never break the run (nor keep it from ending)
                }
            }
            done.countDown();
        }
    }

    // ---- the caller's side

    /** Cancels the run: stops and interrupts every thread. Harmless when done. */
    public void cancel() {
        cancelIfRunning();
    }

    /**
     * Cancels the run unless it has already ended or failed.
     *
     * @return whether the run is cancelled (by this call or an earlier one)
     */
    private boolean cancelIfRunning() {
        synchronized (this) {
            if (!cancelled && (done.getCount() == 0 || failure != null)) {
                return false;
            }
            cancelled = true;
        }
        stopAll();
        return true;
    }

    /** Whether every thread has ended. */
    public boolean isDone() {
        if (done.getCount() != 0) {
            return false;
        }
        for (int i = 0; i < threads.size(); i++) { // no iterator: callable with the heap full
            if (threads.get(i).isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits for the run, optionally with a timeout.
     *
     * <p>A run that has ended gives its outcome without looking at the caller's interrupt flag (as
     * {@code FutureTask.get} does), and leaves the flag as it was. Interrupted while waiting, it
     * cancels the run, waits for its threads and throws {@link InterruptedException} with the flag
     * clear. A timeout cancels the run, unless the run ended (or failed) before the cancellation
     * took effect: then its real outcome is given, so this call and any later one tell the same
     * story.
     *
     * @param timeout null to wait without a limit
     * @return the terminal's result
     * @throws IllegalStateException if called from one of the run's own threads, which would wait
     *     for itself forever
     */
    public Object await(Duration timeout) throws InterruptedException, TimeoutException {
        checkNotOwnThread();
        if (done.getCount() != 0) {
            try {
                if (timeout == null) {
                    done.await();
                } else if (!done.await(
                                Math.max(0, Durations.saturatedNanos(timeout)),
                                TimeUnit.NANOSECONDS)
                        && cancelIfRunning()) {
                    joinAll();
                    throw new TimeoutException(
                            "pipeline '"
                                    + pipelineName
                                    + "' did not end within "
                                    + timeout
                                    + "; it was cancelled");
                }
            } catch (InterruptedException e) {
                cancel();
                joinAll();
                Thread.interrupted(); // an interrupt during the join is part of this one
                throw e;
            }
        }
        joinAll();
        return outcome();
    }

    private void checkNotOwnThread() {
        Thread self = Thread.currentThread();
        synchronized (this) {
            for (int i = 0; i < threads.size(); i++) {
                if (threads.get(i) == self) {
                    throw new IllegalStateException(
                            "a stage of pipeline '"
                                    + pipelineName
                                    + "' awaits its own run, which cannot end before the stage"
                                    + " does: it would wait forever");
                }
            }
        }
    }

    private Object outcome() {
        Throwable f = failure;
        if (f != null) {
            List<Throwable> later;
            synchronized (this) {
                later = List.copyOf(laterFailures);
            }
            throw failureMapper.map(pipelineName, failedStage, f, later);
        }
        if (cancelled || !hasResult) {
            throw new CancellationException("pipeline '" + pipelineName + "' was cancelled");
        }
        return result;
    }

    /** Joins every thread of the run, not giving up when interrupted (the flag is kept). */
    private void joinAll() {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wall time of the run: from start to its end, or to now while it runs. */
    long elapsedNanos() {
        long start = startNanos;
        if (start == 0) {
            return 0;
        }
        long end = endNanos;
        return (end != 0 ? end : System.nanoTime()) - start;
    }
}
