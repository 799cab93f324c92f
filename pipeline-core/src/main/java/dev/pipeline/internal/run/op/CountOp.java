package dev.pipeline.internal.run.op;

import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

/**
 * Terminal {@code count}: counts the items, one addition per run of items taken with one claim;
 * the run's result is a {@code Long}. One thread.
 */
public final class CountOp extends ItemOp {
    private CountOp() {}

    /**
     * {@code count}.
     *
     * @return the terminal stage
     */
    public static Op of() {
        return new CountOp();
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        RunLifecycle run = ctx.run();
        return new ItemWorker(ctx, null) {
            long n;

            @Override
            boolean onItem(Object item) {
                n++;
                return true;
            }

            @Override
            boolean onItems(Object[] items, int k) {
                n += k;
                return true;
            }

            @Override
            void onEnd() {
                run.setResult(n);
            }
        };
    }
}
