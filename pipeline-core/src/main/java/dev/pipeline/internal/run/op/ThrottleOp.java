package dev.pipeline.internal.run.op;

import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

import java.util.concurrent.TimeUnit;

/**
 * {@code throttle}: at most {@code permits} items per {@code perNanos}, in bursts of at most
 * {@code permits} (the generic cell rate algorithm: each item is due one interval after the
 * previous one, and may come early by up to {@code permits - 1} intervals). Times are kept
 * relative to the stage's first item and every sum saturates, so a huge period (a saturated
 * {@code Long.MAX_VALUE}) means "wait as long as it takes", never an overflow. Items wait
 * (backpressure), never dropped; each is sent at once, not buffered. One thread ({@link ItemOp}),
 * sleeping on it.
 */
public final class ThrottleOp extends ItemOp {
    private final long interval;
    private final long tolerance;

    private ThrottleOp(int permits, long perNanos) {
        this.interval = Math.max(1, perNanos / permits);
        this.tolerance =
                permits - 1 > Long.MAX_VALUE / interval ? Long.MAX_VALUE : interval * (permits - 1);
    }

    /**
     * {@code throttle}.
     *
     * @param permits items per period, at least 1
     * @param perNanos the period, positive, saturated
     * @return the stage
     */
    public static Op of(int permits, long perNanos) {
        return new ThrottleOp(permits, perNanos);
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        long interval = this.interval;
        long tolerance = this.tolerance;
        return new ItemWorker(ctx, ctx.output(), ItemWorker.Tracking.AS_IS) {
            long origin;
            long due = -1; // when the next item is due, relative to origin

            @Override
            boolean onItem(Object item) throws InterruptedException {
                if (due < 0) {
                    origin = System.nanoTime();
                    due = 0;
                }
                long now = System.nanoTime() - origin;
                if (due < now) {
                    due = now;
                }
                long wait = (due - now) - tolerance; // both terms >= 0
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                due = due > Long.MAX_VALUE - interval ? Long.MAX_VALUE : due + interval;
                out.send(item);
                return true;
            }
        };
    }
}
