package dev.pipeline.internal.run.op;

import dev.pipeline.internal.run.Op;

/**
 * The base of the parallel maps ({@link MapParallelUnorderedOp}, {@link MapParallelOp}, {@link
 * MapParallelByKeyOp}): a stage of {@code workers} threads each calling the user's function per
 * item, under the stage's error policy.
 */
abstract class ParallelOp extends Op {
    /** The number of worker threads. */
    final int workers;

    ParallelOp(int workers) {
        this.workers = workers;
    }

    @Override
    protected final boolean acceptsPolicy() {
        return true;
    }

    @Override
    protected final int workers() {
        return workers;
    }
}
