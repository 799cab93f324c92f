package dev.pipeline.internal.run;

/**
 * What a stage does when a run is wired: one subclass per stage kind, in {@code
 * dev.pipeline.internal.run.op} (see its package comment for how to add one). An op is part of an
 * immutable blueprint and may be built into any number of runs, on several threads at once, so it
 * keeps no per-run state: {@link #build} makes the run's threads, and they keep their own.
 *
 * <p>The flags below tell {@link RunWiring} how the stage may be wired; each defaults to the safe
 * answer (false, or one worker).
 */
public abstract class Op {

    /** For subclasses. */
    protected Op() {}

    /** Whether an error policy applies (the stage calls a user function per item). */
    protected boolean acceptsPolicy() {
        return false;
    }

    /**
     * Whether the stage can take a {@code merge}'s sources as its inputs directly: one thread that
     * reads all its inputs as one stream, so the merge needs no forwarding thread of its own.
     */
    protected boolean takesMergedInputs() {
        return false;
    }

    /**
     * Whether one thread of the stage reads its inputs and no user code gets their receivers (so a
     * stage writing such an input from one thread may use a single-producer channel).
     */
    protected boolean readsInputsAlone() {
        return false;
    }

    /**
     * Whether one thread of the stage writes its output and no user code gets its sender (so a
     * stage reading it from one thread may use a single-consumer channel).
     */
    protected boolean writesOutputAlone() {
        return false;
    }

    /**
     * Whether the stage only merges its inputs into one stream: a stage that {@linkplain
     * #takesMergedInputs takes merged inputs} then reads them itself, and this one runs no thread.
     */
    protected boolean isMerge() {
        return false;
    }

    /**
     * Whether the stage is a tracked source: it sends items with a completion ({@code
     * generateTracked}), so every stage downstream carries them in envelopes and reports when each
     * is done (ADR 19).
     */
    protected boolean tracksItems() {
        return false;
    }

    /** The number of worker threads reported in metrics ({@link ThreadKind#WORKER}). */
    protected int workers() {
        return 1;
    }

    /**
     * Wires the stage into a run: records what it reads ({@link StageInfo#reads}) and {@linkplain
     * StageContext#spawn spawns} its threads, which read {@link StageContext#inputs()} and write
     * {@link StageContext#output()}. Called on the wiring thread, before any thread of the run
     * starts.
     *
     * @param ctx the stage in this run: its record, settings, inputs, output, and the run
     */
    protected abstract void build(StageContext ctx);
}
