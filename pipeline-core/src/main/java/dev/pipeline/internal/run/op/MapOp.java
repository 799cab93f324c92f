package dev.pipeline.internal.run.op;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

/**
 * {@code map}: applies a function to each item and sends its result; a null result fails the
 * stage. One thread ({@link ItemOp}); the error policy applies per item. The parallel maps run
 * the same worker ({@link #worker}) on each of their threads.
 */
public final class MapOp extends ItemOp {
    private final StageFunction<Object, Object> fn;

    private MapOp(StageFunction<Object, Object> fn) {
        this.fn = fn;
    }

    /**
     * {@code map}.
     *
     * @param fn the function
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(StageFunction<?, ?> fn) {
        return new MapOp((StageFunction<Object, Object>) fn);
    }

    @Override
    protected boolean acceptsPolicy() {
        return true;
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        return worker(ctx, ctx.output(), fn);
    }

    /** A worker sending {@code fn} of each item to {@code out}. */
    static ItemWorker worker(
            StageContext ctx, Sender<Object> out, StageFunction<Object, Object> fn) {
        return new ItemWorker(ctx, out) {
            @Override
            boolean onItem(Object item) throws Exception {
                Object r = fn.apply(item);
                if (r == null) {
                    throw nullResult();
                }
                emit(r);
                return true;
            }
        };
    }
}
