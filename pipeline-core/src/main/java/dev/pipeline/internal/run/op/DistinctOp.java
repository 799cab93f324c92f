package dev.pipeline.internal.run.op;

import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code distinct}: sends each item not equal to an earlier one; the worker remembers every
 * distinct item of its run. One thread ({@link ItemOp}).
 */
public final class DistinctOp extends ItemOp {
    private DistinctOp() {}

    /**
     * {@code distinct}.
     *
     * @return the stage
     */
    public static Op of() {
        return new DistinctOp();
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        return new ItemWorker(ctx, ctx.output()) {
            final Set<Object> seen = new HashSet<>();

            @Override
            boolean onItem(Object item) throws InterruptedException {
                if (seen.add(item)) {
                    emit(item);
                }
                return true;
            }
        };
    }
}
