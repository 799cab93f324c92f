package dev.pipeline.internal.run;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.util.List;

/**
 * What a stage does when a run is wired: it {@linkplain RunWiring#wire wires} its inputs and
 * {@linkplain RunWiring#spawn spawns} its threads, which write to {@code out}. One subclass per
 * stage kind.
 */
public abstract class Op {

    /** Whether an error policy applies (the stage calls a user function per item). */
    boolean acceptsPolicy() {
        return false;
    }

    /**
     * Whether the stage can take a {@code merge}'s sources as its inputs directly: one thread that
     * reads all its inputs as one stream ({@link ItemWorker#run(List)}), so the merge needs no
     * forwarding thread of its own.
     */
    boolean takesMergedInputs() {
        return false;
    }

    /**
     * Whether one thread of the stage reads its inputs and no user code gets their receivers (so a
     * stage writing such an input from one thread may use a single-producer channel).
     */
    boolean readsInputsAlone() {
        return false;
    }

    /**
     * Whether one thread of the stage writes its output and no user code gets its sender (so a
     * stage reading it from one thread may use a single-consumer channel).
     */
    boolean writesOutputAlone() {
        return false;
    }

    /** The number of worker threads reported in metrics. */
    int workers() {
        return 1;
    }

    /**
     * Wires the stage into a run.
     *
     * @param run the run being wired
     * @param stage the stage's runtime record
     * @param node the stage's node (settings and inputs)
     * @param out the stage's output; null for a terminal
     */
    abstract void build(
            RunWiring run,
            StageInfo stage,
            Node node,
            List<Receiver<Object>> ins,
            Sender<Object> out);
}
