package dev.pipeline.internal.run.op;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

import java.util.List;

/**
 * {@code take}: sends the first {@code n} items, then ends, closing its input (which cancels
 * upstream); {@code take(0)} ends at once. One thread reading one input (not a merge's sources:
 * the merge forwards them, so that the stage stops them all by closing one channel).
 */
public final class TakeOp extends Op {
    private final long n;

    private TakeOp(long n) {
        this.n = n;
    }

    /**
     * {@code take}.
     *
     * @param n how many items, at least 0
     * @return the stage
     */
    public static Op of(long n) {
        return new TakeOp(n);
    }

    @Override
    protected boolean readsInputsAlone() {
        return true;
    }

    @Override
    protected boolean writesOutputAlone() {
        return true;
    }

    @Override
    protected void build(StageContext ctx) {
        Receiver<Object> in = ctx.stage().reads(ctx.input());
        Sender<Object> out = ctx.output();
        long n = this.n;
        ItemWorker w =
                new ItemWorker(ctx, out, ItemWorker.Tracking.AS_IS) {
                    long left = n;

                    @Override
                    boolean onItem(Object item) throws InterruptedException {
                        emit(item);
                        return --left > 0;
                    }
                };
        ctx.spawn(
                () -> {
                    if (n > 0) {
                        w.run(in);
                    }
                },
                List.of(in),
                List.of(out));
    }
}
