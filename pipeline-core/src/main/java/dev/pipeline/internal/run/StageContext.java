package dev.pipeline.internal.run;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One stage of one run, as its {@link Op} sees it while the run is wired: the stage's record
 * ({@link #stage()}: name, metrics, error policy), its settings, its inputs and output, and the
 * run's services (threads, inner channels, cancellation and outcome through {@link #run()}).
 *
 * <p>Threading. A context is made for one {@link Op#build} call and used on the wiring thread
 * only; the threads the op spawns keep what they need of it (the lifecycle, the record, their
 * handles), all of which are safe to use from those threads.
 */
public final class StageContext {
    private final RunWiring wiring;
    private final StageInfo stage;
    private final Node node;
    private final List<Receiver<Object>> inputs;
    private final Sender<Object> output;

    StageContext(
            RunWiring wiring,
            StageInfo stage,
            Node node,
            List<Receiver<Object>> inputs,
            Sender<Object> output) {
        this.wiring = wiring;
        this.stage = stage;
        this.node = node;
        this.inputs = inputs;
        this.output = output;
    }

    /** The run's lifecycle: cancellation ({@code stopIfStopping}), failures, the result. */
    public RunLifecycle run() {
        return wiring.lifecycle;
    }

    /** The stage's record in this run: what it reads, and the waits it counts itself. */
    public StageInfo stage() {
        return stage;
    }

    /** The stage's name in this run (unique in it). */
    public String name() {
        return stage.name;
    }

    /**
     * Whether the stage's items may come in envelopes with completion tokens (a tracked source
     * feeds it, ADR 19): it must then unwrap them for user code and pass the tokens on.
     */
    public boolean tracked() {
        return node.tracked;
    }

    /** The stage's error policy (fail-fast unless set). */
    public PolicySpec policy() {
        return stage.policy;
    }

    /** The stage's output capacity as set in the blueprint (its inner channels may follow it). */
    public int capacity() {
        return node.capacity;
    }

    /**
     * The receivers of the stage's inputs, one per input in blueprint order (a merge taken directly
     * adds its sources' instead of its own). The stage owns them: each must be closed by the
     * teardown of one of its threads ({@link #spawn}).
     */
    public List<Receiver<Object>> inputs() {
        return inputs;
    }

    /** The receiver of a stage with one input. */
    public Receiver<Object> input() {
        return inputs.get(0);
    }

    /**
     * The sender of the stage's output, null for a terminal. The stage owns it: it must be closed
     * by the teardown of one of its threads ({@link #spawn}), or of each thread given a copy.
     */
    public Sender<Object> output() {
        return output;
    }

    /**
     * Creates (does not start) a thread of the stage running {@code body}, to start with the run.
     * When the body ends the thread closes {@code receivers} and closes {@code senders}, or fails
     * them with its error (see {@link RunLifecycle}).
     *
     * @param suffix appended to the thread's name ({@code <pipeline>-<stage>-<suffix>}), or null
     * @param kind whether the thread counts as one of the stage's workers
     */
    public void spawn(
            String suffix,
            ThreadKind kind,
            RunLifecycle.Body body,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        wiring.spawn(stage, suffix, kind, body, receivers, senders);
    }

    /** {@link #spawn} the one worker thread of a one-thread stage, named after the stage. */
    public void spawn(
            RunLifecycle.Body body,
            List<? extends Receiver<?>> receivers,
            List<? extends Sender<?>> senders) {
        wiring.spawn(stage, null, ThreadKind.WORKER, body, receivers, senders);
    }

    /**
     * A bounded channel of this run inside the stage, named {@code <pipeline>.<stage><suffix>};
     * its closure exceptions are the run's signals, and it shows in the run's metrics.
     */
    public <E> Channel<E> channel(String suffix, int capacity) {
        return wiring.channel(stage.name + suffix, capacity);
    }

    /** Wires the stage {@code node} (a fan-out branch) and what feeds it; returns its output. */
    public Receiver<Object> wire(Node node) {
        return wiring.wire(node);
    }

    /** Binds a fan-out branch's input placeholder ({@link Node#branchInput}) to {@code rx}. */
    public void bind(Node placeholder, Receiver<Object> rx) {
        wiring.bind(placeholder, rx);
    }

    /**
     * {@code n} sender handles, one per thread that sends: {@code tx} itself and {@code n - 1}
     * copies, each closed by its own thread's teardown (the channel closes when all are).
     */
    public static List<Sender<Object>> copies(Sender<Object> tx, int n) {
        List<Sender<Object>> list = new ArrayList<>(n);
        list.add(tx);
        for (int i = 1; i < n; i++) {
            list.add(Engine.runCopy(tx));
        }
        return list;
    }

    /** {@code n} receiver handles, one per thread that receives: {@code rx} and {@code n - 1} copies. */
    public static List<Receiver<Object>> copies(Receiver<Object> rx, int n) {
        List<Receiver<Object>> list = new ArrayList<>(n);
        list.add(rx);
        for (int i = 1; i < n; i++) {
            list.add(Engine.runCopy(rx));
        }
        return list;
    }
}
