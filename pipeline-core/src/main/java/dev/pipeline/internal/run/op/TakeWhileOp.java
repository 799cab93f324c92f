package dev.pipeline.internal.run.op;

import dev.pipeline.StagePredicate;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

/**
 * {@code takeWhile}: sends items while they pass a predicate; at the first that does not, the
 * stage ends, closing its input (which cancels upstream). One thread ({@link ItemOp}); the error
 * policy applies per item.
 */
public final class TakeWhileOp extends ItemOp {
    private final StagePredicate<Object> pred;

    private TakeWhileOp(StagePredicate<Object> pred) {
        this.pred = pred;
    }

    /**
     * {@code takeWhile}.
     *
     * @param p the predicate
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(StagePredicate<?> p) {
        return new TakeWhileOp((StagePredicate<Object>) p);
    }

    @Override
    protected boolean acceptsPolicy() {
        return true;
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        return new ItemWorker(ctx, ctx.output()) {
            @Override
            boolean onItem(Object item) throws Exception {
                if (!pred.test(item)) {
                    return false;
                }
                emit(item);
                return true;
            }
        };
    }
}
