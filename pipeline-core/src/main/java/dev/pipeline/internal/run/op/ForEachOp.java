package dev.pipeline.internal.run.op;

import dev.pipeline.StageConsumer;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

/**
 * Terminal {@code forEach} (and {@code start()}, with an action that discards): runs an action on
 * each item on the terminal's one thread; the run's result is null. The error policy applies per
 * item (given with the terminal, since a terminal runs at once).
 */
public final class ForEachOp extends ItemOp {
    private final StageConsumer<Object> action;

    private ForEachOp(StageConsumer<Object> action) {
        this.action = action;
    }

    /**
     * {@code forEach}.
     *
     * @param action the action
     * @return the terminal stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(StageConsumer<?> action) {
        return new ForEachOp((StageConsumer<Object>) action);
    }

    @Override
    protected boolean acceptsPolicy() {
        return true;
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        RunLifecycle run = ctx.run();
        StageConsumer<Object> action = this.action;
        return new ItemWorker(ctx, null) {
            @Override
            boolean onItem(Object item) throws Exception {
                action.accept(item);
                return true;
            }

            @Override
            void onEnd() {
                run.setResult(null);
            }
        };
    }
}
