package dev.pipeline.internal.run;

/**
 * What a stage thread is to its stage's metrics: one of its workers, or a thread that coordinates
 * them. A stage's busy time runs from when its first worker starts until its last worker ends, and
 * is shared by {@link Op#workers()} workers; a coordinator (the dispatcher or resequencer of a
 * parallel map, the router of a fan-out) does not count.
 */
public enum ThreadKind {
    /** One of the stage's workers: counted in its metrics. */
    WORKER,
    /** A thread that feeds or orders the workers' items: not counted. */
    COORDINATOR
}
