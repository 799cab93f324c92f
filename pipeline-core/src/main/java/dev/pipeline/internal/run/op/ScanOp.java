package dev.pipeline.internal.run.op;

import dev.pipeline.StageBiFunction;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

/**
 * {@code scan}: sends the running value {@code fn(acc, item)} for each item, starting from an
 * initial value (not sent itself); a null value fails the stage. One thread ({@link ItemOp}), whose
 * worker holds the running value for one run; the error policy applies per item.
 */
public final class ScanOp extends ItemOp {
    private final Object initial;
    private final StageBiFunction<Object, Object, Object> fn;

    private ScanOp(Object initial, StageBiFunction<Object, Object, Object> fn) {
        this.initial = initial;
        this.fn = fn;
    }

    /**
     * {@code scan}.
     *
     * @param initial the starting value
     * @param fn the step
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(Object initial, StageBiFunction<?, ?, ?> fn) {
        return new ScanOp(initial, (StageBiFunction<Object, Object, Object>) fn);
    }

    @Override
    protected boolean acceptsPolicy() {
        return true;
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        return new ItemWorker(ctx, ctx.output()) {
            Object acc = initial;

            @Override
            boolean onItem(Object item) throws Exception {
                Object next = fn.apply(acc, item);
                if (next == null) {
                    throw nullResult();
                }
                acc = next;
                emit(next);
                return true;
            }
        };
    }
}
