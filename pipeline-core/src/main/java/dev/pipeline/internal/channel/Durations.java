package dev.pipeline.internal.channel;

import java.time.Duration;

/** Timeouts as nanoseconds, for every timed call of the library. */
public final class Durations {
    private Durations() {}

    /**
     * {@code d} in nanoseconds, saturated instead of overflowing: {@link Duration#toNanos()} throws
     * beyond about 292 years, and a timeout that long means "no limit" to the caller.
     *
     * @param d the duration
     * @return its nanoseconds, or {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE} beyond range
     */
    public static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
