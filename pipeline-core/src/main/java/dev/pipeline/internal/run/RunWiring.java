package dev.pipeline.internal.run;

import dev.pipeline.PipelineMetrics;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Makes a blueprint into one run: a channel per edge, a record ({@link StageInfo}) per stage, and
 * the stages' threads, created unstarted and handed to the run's {@link RunLifecycle}, which
 * starts them and owns everything after (failure, cancellation, the end). Each stage's {@link Op}
 * is built here, in the order that gives upstream stages plain names first.
 *
 * <p>Threading. A run is wired on the caller's thread before any of its threads starts; its
 * metrics ({@link #metrics}) may then be read from any thread, the lists they come from being
 * complete and no longer changed.
 */
public final class RunWiring {
    final String pipelineName;
    private final boolean defaultVirtual;
    private final Consumer<Thread> threadObserver;

    /** The run's lifecycle; also the owner of its channels. */
    final RunLifecycle lifecycle;

    final List<StageInfo> stages = new ArrayList<>();
    final List<Channel<?>> channels = new ArrayList<>();
    private final Map<Node, Receiver<Object>> bound = new IdentityHashMap<>();

    /** Stage names given so far in this run, and the names the blueprint's stages ask for. */
    private final Set<String> usedNames = new HashSet<>();

    private final Set<String> askedNames = new HashSet<>();

    /**
     * Creates a run.
     *
     * @param pipelineName the pipeline's name (thread and channel name prefix)
     * @param defaultVirtual whether stages without their own choice run on virtual threads
     * @param threadObserver told about every thread the run creates (may be null)
     * @param logSummary whether to log the report at the end
     * @param failureMapper builds the exception {@link RunLifecycle#await} throws on failure
     */
    public RunWiring(
            String pipelineName,
            boolean defaultVirtual,
            Consumer<Thread> threadObserver,
            boolean logSummary,
            RunLifecycle.FailureMapper failureMapper) {
        this.pipelineName = pipelineName;
        this.defaultVirtual = defaultVirtual;
        this.threadObserver = threadObserver;
        this.lifecycle = new RunLifecycle(pipelineName, logSummary, failureMapper, this::metrics);
    }

    // ---- wiring (caller's thread, before any thread starts)

    /** Who will read a stage's output: it decides whether the edge may be single-consumer. */
    private enum Reader {
        /** One thread of the runtime, and no user code gets the receiver. */
        ONE_RUNTIME_THREAD,
        /** Anyone: several threads, or user code. */
        ANY
    }

    /**
     * Wires the stage {@code node} and everything feeding it.
     *
     * @return the receiver of the stage's output
     */
    Receiver<Object> wire(Node node) {
        return wire(node, Reader.ANY);
    }

    /**
     * Wires the stage {@code node} and everything feeding it. When one runtime thread reads the
     * output ({@code reader}) and the stage also {@linkplain Op#writesOutputAlone writes it from
     * one thread}, the edge is a single-producer single-consumer ring (no CAS, no per-slot
     * sequence); otherwise the usual ring.
     *
     * @return the receiver of the stage's output
     */
    private Receiver<Object> wire(Node node, Reader reader) {
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
                reader == Reader.ONE_RUNTIME_THREAD
                                && node.op.writesOutputAlone()
                                && node.capacity > 0
                        ? singleProducerSingleConsumer(stage.name, node.capacity)
                        : channel(stage.name, node.capacity);
        stage.output = ch;
        node.op.build(new StageContext(this, stage, node, ins, ch.sender()));
        stages.add(stage);
        Receiver<Object> rx = ch.receiver();
        stopWhenUnread(rx, ins);
        return rx;
    }

    /**
     * Once nobody reads a stage's output any more ({@code out}'s readers ended early, as {@code
     * take} does) while the run goes on, the stage's inputs are {@linkplain Engine#abandon
     * abandoned}: a stage waiting for input stops at once instead of at its next send (which may
     * never come: a source with nothing more to send), and so on upstream, each abandoned input
     * telling the stage before. A run that is stopping (a failure, a cancel) is ended by its
     * lifecycle instead.
     */
    private void stopWhenUnread(Receiver<Object> out, List<Receiver<Object>> ins) {
        if (ins.isEmpty()) {
            return; // a source notices at its next send, or through Sender.isDisconnected
        }
        Engine.onReceiversGone(
                out,
                () -> {
                    if (!lifecycle.isStopping()) {
                        for (Receiver<Object> in : ins) {
                            Engine.abandon(in);
                        }
                    }
                });
    }

    /**
     * Wires the inputs of {@code node} first, so that upstream stages take plain names first. A
     * {@code merge} feeding a stage that {@linkplain Op#takesMergedInputs reads several inputs as
     * one} runs no thread: its sources' outputs become that stage's inputs (see {@link
     * #wireMerged}).
     */
    private List<Receiver<Object>> wireInputs(Node node) {
        List<Receiver<Object>> ins = new ArrayList<>(node.inputs.size());
        Reader reader = node.op.readsInputsAlone() ? Reader.ONE_RUNTIME_THREAD : Reader.ANY;
        for (Node in : node.inputs) {
            if (in.op.isMerge() && node.op.takesMergedInputs()) {
                ins.addAll(wireMerged(in));
            } else {
                ins.add(wire(in, reader));
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
            if (in.op.isMerge()) {
                ins.addAll(wireMerged(in));
            } else {
                // read by the one thread of the stage taking the merge
                ins.add(wire(in, Reader.ONE_RUNTIME_THREAD));
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
     * @return the run's lifecycle: its outcome, cancellation and end
     */
    public RunLifecycle start(Node sink) {
        collectNames(sink);
        try {
            List<Receiver<Object>> ins = wireInputs(sink);
            StageInfo stage = newStage(sink);
            sink.op.build(new StageContext(this, stage, sink, ins, null));
            stages.add(stage);
        } catch (RuntimeException | Error e) {
            // nothing started: close what wiring opened by starting nothing and failing fast
            lifecycle.abandon();
            throw e;
        }
        lifecycle.start();
        return lifecycle;
    }

    private StageInfo newStage(Node node) {
        String name = uniqueName(node.name);
        boolean virtual = node.virtual != null ? node.virtual : defaultVirtual;
        return new StageInfo(name, node.op.workers(), virtual, node.policy);
    }

    /**
     * A name no other stage of this run has: {@code name} itself the first time, then {@code
     * name#2}, {@code name#3}… skipping any that a stage of the blueprint asks for by itself (so a
     * user's {@code x#2} keeps its name beside two stages called {@code x}).
     */
    private String uniqueName(String name) {
        if (usedNames.add(name)) {
            return name;
        }
        for (int n = 2; ; n++) {
            String candidate = name + "#" + n;
            if (!askedNames.contains(candidate) && usedNames.add(candidate)) {
                return candidate;
            }
        }
    }

    /** Records the names the stages of the blueprint ending in {@code node} ask for. */
    private void collectNames(Node node) {
        askedNames.add(node.name);
        for (Node in : node.inputs) {
            collectNames(in);
        }
    }

    /**
     * A single-producer single-consumer channel of this run ({@link
     * Engine#singleProducerSingleConsumer}).
     */
    private Channel<Object> singleProducerSingleConsumer(String what, int capacity) {
        Channel<Object> ch =
                Engine.singleProducerSingleConsumer(lifecycle, pipelineName + "." + what, capacity);
        channels.add(ch);
        return ch;
    }

    /** Creates a channel of this run, named after the pipeline and {@code what}. */
    <E> Channel<E> channel(String what, int capacity) {
        Channel<E> ch = Engine.runChannel(lifecycle, pipelineName + "." + what, capacity);
        channels.add(ch);
        return ch;
    }

    /**
     * Creates (does not start) a thread of {@code stage} running {@code body}. When the body ends
     * the thread closes {@code receivers} and closes {@code senders}, or fails them with its error.
     *
     * @param suffix null for a single-worker stage, else appended to the thread's name
     * @param kind whether the thread counts as one of the stage's workers
     */
    void spawn(
            StageInfo stage,
            String suffix,
            ThreadKind kind,
            RunLifecycle.Body body,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        String threadName = pipelineName + "-" + stage.name + (suffix == null ? "" : "-" + suffix);
        Runnable task = lifecycle.task(stage, kind, body, receivers, senders);
        Thread t =
                stage.virtual
                        ? Thread.ofVirtual().name(threadName).unstarted(task)
                        : Thread.ofPlatform().name(threadName).daemon(true).unstarted(task);
        if (threadObserver != null) {
            threadObserver.accept(t);
        }
        lifecycle.adopt(t);
    }

    /** A live snapshot of the run's metrics. */
    public PipelineMetrics metrics() {
        return MetricsSnapshot.of(this);
    }
}
