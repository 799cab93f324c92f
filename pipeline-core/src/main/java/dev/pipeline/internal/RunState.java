package dev.pipeline.internal;

import dev.pipeline.PipelineMetrics;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.ChannelInterruptedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One run of a pipeline: wires the blueprint into channels and threads, then owns their lifecycle.
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
 */
public final class RunState {
    private static final Logger LOG = LoggerFactory.getLogger("dev.pipeline.Pipeline");

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

    final String pipelineName;
    private final boolean defaultVirtual;
    private final Consumer<Thread> threadObserver;
    private final boolean logSummary;
    private final FailureMapper failureMapper;

    private final List<Thread> threads = new ArrayList<>();
    final List<StageInfo> stages = new ArrayList<>();
    final List<Channel<?>> channels = new ArrayList<>();
    private final Map<Node, Receiver<Object>> bound = new IdentityHashMap<>();
    private final Map<String, Integer> names = new HashMap<>();
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
    private StageInfo terminal;
    private volatile long startNanos;
    private volatile long endNanos;

    /**
     * Creates a run.
     *
     * @param pipelineName the pipeline's name (thread and channel name prefix)
     * @param defaultVirtual whether stages without their own choice run on virtual threads
     * @param threadObserver told about every thread the run creates (may be null)
     * @param logSummary whether to log the report at the end
     * @param failureMapper builds the exception {@link #await} throws on failure
     */
    public RunState(
            String pipelineName,
            boolean defaultVirtual,
            Consumer<Thread> threadObserver,
            boolean logSummary,
            FailureMapper failureMapper) {
        this.pipelineName = pipelineName;
        this.defaultVirtual = defaultVirtual;
        this.threadObserver = threadObserver;
        this.logSummary = logSummary;
        this.failureMapper = failureMapper;
    }

    // ---- wiring (caller's thread, before any thread starts)

    /**
     * Wires the stage {@code node} and everything feeding it.
     *
     * @return the receiver of the stage's output
     */
    Receiver<Object> wire(Node node) {
        return wire(node, false);
    }

    /**
     * Wires the stage {@code node} and everything feeding it; {@code singleReader}: one thread of
     * the runtime will read the output, and no user code gets its receiver. When the stage also
     * {@linkplain Op#writesOutputAlone writes it from one thread}, the edge is a {@link
     * SpscRingChannel} (no CAS, no per-slot sequence); otherwise the usual ring.
     *
     * @return the receiver of the stage's output
     */
    private Receiver<Object> wire(Node node, boolean singleReader) {
        if (node.op instanceof BranchInputOp) {
            Receiver<Object> rx = bound.remove(node);
            if (rx == null) {
                throw new IllegalStateException("a fan-out branch uses its input more than once");
            }
            return rx;
        }
        List<Receiver<Object>> ins = wireInputs(node);
        StageInfo stage = newStage(node);
        Channel<Object> ch =
                singleReader && node.op.writesOutputAlone() && node.capacity > 0
                        ? singleProducerSingleConsumer(stage.name, node.capacity)
                        : channel(stage.name, node.capacity);
        stage.output = ch;
        node.op.build(this, stage, node, ins, ch.sender());
        stages.add(stage);
        return ch.receiver();
    }

    /**
     * Wires the inputs of {@code node} first, so that upstream stages take plain names first. A
     * {@code merge} feeding a stage that {@linkplain Op#takesMergedInputs reads several inputs as
     * one} runs no thread: its sources' outputs become that stage's inputs (see {@link
     * #wireMerged}).
     */
    private List<Receiver<Object>> wireInputs(Node node) {
        List<Receiver<Object>> ins = new ArrayList<>(node.inputs.size());
        for (Node in : node.inputs) {
            if (in.op instanceof Stages.MergeOp && node.op.takesMergedInputs()) {
                ins.addAll(wireMerged(in));
            } else {
                ins.add(wire(in, node.op.readsInputsAlone()));
            }
        }
        return ins;
    }

    /**
     * Wires a merge that the next stage takes directly: its sources (a merge among them taken the
     * same way) are wired as usual and their receivers returned. The merge stays in the metrics as
     * a stage with no worker whose items in and out are what the next stage took from its sources.
     */
    private List<Receiver<Object>> wireMerged(Node merge) {
        List<Receiver<Object>> ins = new ArrayList<>(merge.inputs.size());
        for (Node in : merge.inputs) {
            if (in.op instanceof Stages.MergeOp) {
                ins.addAll(wireMerged(in));
            } else {
                ins.add(wire(in, true)); // read by the one thread of the stage taking the merge
            }
        }
        StageInfo stage = new StageInfo(uniqueName(merge.name), 0, defaultVirtual, merge.policy);
        for (Receiver<Object> in : ins) {
            stage.inputs.add(in.channel());
        }
        stages.add(stage);
        return ins;
    }

    /** Binds a branch's input placeholder to a receiver for this run. */
    void bind(Node placeholder, Receiver<Object> rx) {
        bound.put(placeholder, rx);
    }

    /**
     * Wires the whole pipeline ending in the terminal stage {@code sink} and starts it.
     *
     * @param sink the terminal node (its op has no output)
     */
    public void start(Node sink) {
        try {
            List<Receiver<Object>> ins = wireInputs(sink);
            StageInfo stage = newStage(sink);
            sink.op.build(this, stage, sink, ins, null);
            stages.add(stage);
            terminal = stage;
        } catch (RuntimeException | Error e) {
            // nothing started: close what wiring opened by starting nothing and failing fast
            synchronized (this) {
                threads.clear();
            }
            throw e;
        }
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

    private StageInfo newStage(Node node) {
        String name = uniqueName(node.name);
        boolean virtual = node.virtual != null ? node.virtual : defaultVirtual;
        return new StageInfo(name, node.op.workers(), virtual, node.policy);
    }

    private String uniqueName(String name) {
        int n = names.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "#" + n;
    }

    /** A {@link SpscRingChannel} of this run, named after the pipeline and {@code what}. */
    private Channel<Object> singleProducerSingleConsumer(String what, int capacity) {
        Channel<Object> ch =
                InternalChannels.singleProducerSingleConsumer(capacity, pipelineName + "." + what);
        channels.add(ch);
        return ch;
    }

    /** Creates a channel of this run, named after the pipeline and {@code what}. */
    <E> Channel<E> channel(String what, int capacity) {
        Channel<E> ch = InternalChannels.runOwned(capacity, pipelineName + "." + what);
        channels.add(ch);
        return ch;
    }

    /** A stage thread's work. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Creates (does not start) a thread of {@code stage} running {@code body}. When the body ends
     * the thread closes {@code receivers} and closes {@code senders}, or fails them with its error.
     *
     * @param suffix null for a single-worker stage, else appended to the thread's name
     * @param worker whether the thread counts as one of the stage's workers
     */
    void spawn(
            StageInfo stage,
            String suffix,
            boolean worker,
            Body body,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        String threadName = pipelineName + "-" + stage.name + (suffix == null ? "" : "-" + suffix);
        Runnable task = new StageTask(stage, worker, body, receivers, senders);
        Thread t =
                stage.virtual
                        ? Thread.ofVirtual().name(threadName).unstarted(task)
                        : Thread.ofPlatform().name(threadName).daemon(true).unstarted(task);
        if (threadObserver != null) {
            threadObserver.accept(t);
        }
        threads.add(t);
    }

    /**
     * A stage thread's task. The run keeps its threads (to interrupt and join them) and a thread
     * keeps its task after it ends, so the task lets go of the stage's work (the body, and through
     * it the stage's state and buffers) as it starts: a finished run, which the caller may keep for
     * its metrics, holds none of its items.
     */
    private final class StageTask implements Runnable {
        private final StageInfo stage;
        private final boolean worker;
        private final List<? extends Receiver<?>> receivers;
        private final List<? extends Sender<?>> senders;
        private Body body;

        StageTask(
                StageInfo stage,
                boolean worker,
                Body body,
                List<? extends Receiver<?>> receivers,
                List<? extends Sender<?>> senders) {
            this.stage = stage;
            this.worker = worker;
            this.body = body;
            this.receivers = receivers;
            this.senders = senders;
        }

        @Override
        public void run() {
            Body b = body;
            body = null;
            runStage(stage, worker, b, receivers, senders);
        }
    }

    private void runStage(
            StageInfo stage,
            boolean worker,
            Body body,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        if (worker) {
            stage.workerStarted();
        }
        Throwable error = null;
        try {
            if (!stopping) {
                body.run();
            }
        } catch (Throwable t) {
            error = classify(stage, t, senders);
        } finally {
            for (Receiver<?> rx : receivers) {
                rx.close();
            }
            for (Sender<?> tx : senders) {
                if (!tx.isClosed()) {
                    if (error != null) {
                        tx.fail(error);
                    } else {
                        tx.close();
                    }
                }
            }
            if (worker) {
                stage.workerEnded();
            }
            threadEnded();
        }
    }

    /** Decides whether a stage's exception is a failure; returns what to fail its outputs with. */
    private Throwable classify(StageInfo stage, Throwable t, List<? extends Sender<?>> senders) {
        if (t instanceof ForeignFailure f) {
            recordFailure(stage.name, f.getCause());
            return f.getCause();
        }
        if (t instanceof ChannelClosedException cce) {
            // input failed upstream (already recorded there): pass it on; else downstream is gone
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
        recordFailure(stage.name, t);
        return t;
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
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (failure == null) {
                failure = t;
                failedStage = stageName;
            } else {
                if (t != failure) {
                    laterFailures.add(t);
                }
                return;
            }
        }
        stopAll();
    }

    /** Records the terminal's result (set by the terminal stage when it completes normally). */
    void setResult(Object value) {
        result = value;
        hasResult = true;
    }

    private void stopAll() {
        synchronized (this) {
            stopping = true;
            if (!started) {
                return;
            }
            Thread self = Thread.currentThread();
            for (Thread t : threads) {
                if (t != self) {
                    t.interrupt();
                }
            }
        }
    }

    /** Whether the run is winding down (failed or cancelled). */
    boolean stopping() {
        return stopping;
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
                    LOG.info(
                            "pipeline '{}' {}\n{}",
                            pipelineName,
                            failure != null
                                    ? "failed in stage '" + failedStage + "'"
                                    : cancelled ? "was cancelled" : "completed",
                            metrics().report());
                } catch (RuntimeException e) {
                    // logging must never break the run
                }
            }
            done.countDown();
        }
    }

    // ---- the caller's side

    /** Cancels the run: stops and interrupts every thread. Harmless when done. */
    public void cancel() {
        synchronized (this) {
            if (done.getCount() == 0 || failure != null) {
                return;
            }
            cancelled = true;
        }
        stopAll();
    }

    /** Whether every thread has ended. */
    public boolean isDone() {
        if (done.getCount() != 0) {
            return false;
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits for the run, optionally with a timeout.
     *
     * @param timeout null to wait without a limit
     * @return the terminal's result
     */
    public Object await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            if (timeout == null) {
                done.await();
            } else if (!done.await(
                    Math.max(0, Durations.saturatedNanos(timeout)), TimeUnit.NANOSECONDS)) {
                cancel();
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
            throw e;
        }
        joinAll();
        return outcome();
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

    /** A live snapshot of the run's metrics. */
    public PipelineMetrics metrics() {
        return MetricsSnapshot.of(this, terminal);
    }
}
