package dev.pipeline.internal.run.op;

import dev.pipeline.StageConsumer;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

/**
 * {@code peek}: runs an action on each item and sends the item on. One thread ({@link ItemOp});
 * the error policy applies per item.
 */
public final class PeekOp extends ItemOp {
    private final StageConsumer<Object> action;

    private PeekOp(StageConsumer<Object> action) {
        this.action = action;
    }

    /**
     * {@code peek}.
     *
     * @param action the action
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(StageConsumer<?> action) {
        return new PeekOp((StageConsumer<Object>) action);
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
                action.accept(item);
                emit(item);
                return true;
            }
        };
    }
}
