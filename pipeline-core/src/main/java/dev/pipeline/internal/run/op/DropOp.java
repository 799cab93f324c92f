package dev.pipeline.internal.run.op;

import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

/** {@code drop}: skips the first {@code n} items and sends the rest. One thread ({@link ItemOp}). */
public final class DropOp extends ItemOp {
    private final long n;

    private DropOp(long n) {
        this.n = n;
    }

    /**
     * {@code drop}.
     *
     * @param n how many items to skip, at least 0
     * @return the stage
     */
    public static Op of(long n) {
        return new DropOp(n);
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        return new ItemWorker(ctx, ctx.output(), ItemWorker.Tracking.AS_IS) {
            long left = n;

            @Override
            boolean onItem(Object item) throws InterruptedException {
                if (left > 0) {
                    left--;
                    Envelope.release(item); // dropped: done
                } else {
                    emit(item);
                }
                return true;
            }
        };
    }
}
