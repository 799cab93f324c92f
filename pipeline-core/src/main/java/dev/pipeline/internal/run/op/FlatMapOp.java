package dev.pipeline.internal.run.op;

import dev.pipeline.StageFunction;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

/**
 * {@code flatMap}: replaces each item by the items of the iterable a function returns, in order; a
 * null iterable or element fails the stage. One thread ({@link ItemOp}); the error policy applies
 * per item.
 */
public final class FlatMapOp extends ItemOp {
    private final StageFunction<Object, Iterable<?>> fn;

    private FlatMapOp(StageFunction<Object, Iterable<?>> fn) {
        this.fn = fn;
    }

    /**
     * {@code flatMap}.
     *
     * @param fn the function
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(StageFunction<?, ?> fn) {
        return new FlatMapOp((StageFunction<Object, Iterable<?>>) fn);
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
                Iterable<?> rs = fn.apply(item);
                if (rs == null) {
                    throw nullResult();
                }
                for (Object r : rs) {
                    if (r == null) {
                        throw nullResult();
                    }
                    emit(r);
                }
                return true;
            }
        };
    }
}
