package dev.pipeline.internal.run.op;

import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Engine;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

import java.util.List;

/**
 * {@code range}: the numbers from {@code from} up to {@code to}, as {@code Integer}s ({@link
 * #ints}) or {@code Long}s ({@link #longs}). Counting cannot block, so outputs are published in
 * runs with one claim each: when the buffer is full or the next stage is parked waiting for
 * items; the run's stop flag is read once per run. One thread, writing its output alone.
 */
public final class RangeOp extends Op {
    private final long from;
    private final long to;
    private final boolean ints;

    private RangeOp(long from, long to, boolean ints) {
        this.from = from;
        this.to = to;
        this.ints = ints;
    }

    /**
     * {@code range(int, int)}.
     *
     * @param from the first value
     * @param to one past the last value
     * @return the stage
     */
    public static Op ints(int from, int to) {
        return new RangeOp(from, to, true);
    }

    /**
     * {@code range(long, long)}.
     *
     * @param from the first value
     * @param to one past the last value
     * @return the stage
     */
    public static Op longs(long from, long to) {
        return new RangeOp(from, to, false);
    }

    @Override
    protected boolean writesOutputAlone() {
        return true;
    }

    @Override
    protected void build(StageContext ctx) {
        RunLifecycle run = ctx.run();
        Sender<Object> out = ctx.output();
        long from = this.from;
        long to = this.to;
        boolean ints = this.ints;
        ctx.spawn(
                () -> {
                    Object[] buf = new Object[ItemWorker.CHUNK];
                    Engine.Output output = Engine.output(out);
                    int n = 0;
                    for (long i = from; i < to; i++) {
                        buf[n++] = ints ? (Object) (int) i : (Object) i;
                        if (n == buf.length || output.receiverWaiting()) {
                            run.stopIfStopping();
                            output.sendBatch(buf, 0, n);
                            n = 0;
                        }
                    }
                    if (n > 0) {
                        output.sendBatch(buf, 0, n);
                    }
                },
                List.of(),
                List.of(out));
    }
}
