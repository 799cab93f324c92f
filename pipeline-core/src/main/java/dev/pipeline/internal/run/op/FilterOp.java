package dev.pipeline.internal.run.op;

import dev.pipeline.StagePredicate;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

/**
 * {@code filter}: sends the items that pass a predicate. One thread ({@link ItemOp}); the error
 * policy applies per item.
 */
public final class FilterOp extends ItemOp {
    private final StagePredicate<Object> pred;

    private FilterOp(StagePredicate<Object> pred) {
        this.pred = pred;
    }

    /**
     * {@code filter}.
     *
     * @param p the predicate
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(StagePredicate<?> p) {
        return new FilterOp((StagePredicate<Object>) p);
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
                if (pred.test(item)) {
                    emit(item);
                }
                return true;
            }
        };
    }
}
