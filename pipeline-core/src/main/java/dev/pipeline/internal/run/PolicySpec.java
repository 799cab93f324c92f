package dev.pipeline.internal.run;

import dev.pipeline.channel.Sender;

/**
 * The runtime form of {@link dev.pipeline.ErrorPolicy}: up to {@code maxAttempts} tries of the
 * function on one item, with a doubling backoff between them, then {@code exhausted} once the
 * last try has failed. Fail-fast, skip and dead-letter alone are the one-try forms. Immutable;
 * applied per item by the stage's {@code ItemWorker} on the stage's own threads.
 *
 * @param maxAttempts tries in all, at least 1
 * @param backoffNanos sleep before the second try, saturated at {@link Long#MAX_VALUE}
 * @param exhausted what to do after the last try failed
 * @param sink the dead-letter channel ({@link Exhausted#DEAD_LETTER}), else null; it receives
 *     {@link dev.pipeline.DeadLetter}s of the stage's input type, checked where the policy was made
 */
public record PolicySpec(
        int maxAttempts, long backoffNanos, Exhausted exhausted, Sender<Object> sink) {

    /** What a stage does with an item once every try on it has failed. */
    public enum Exhausted {
        /** Fail the run. */
        FAIL,
        /** Drop the item. */
        SKIP,
        /** Send a dead letter. */
        DEAD_LETTER
    }

    private static final PolicySpec FAIL_FAST = new PolicySpec(1, 0, Exhausted.FAIL, null);
    private static final PolicySpec SKIP = new PolicySpec(1, 0, Exhausted.SKIP, null);

    /** Fail the run at the first exception. */
    public static PolicySpec failFast() {
        return FAIL_FAST;
    }

    /** Drop failed items. */
    public static PolicySpec skip() {
        return SKIP;
    }

    /** Retry with exponential backoff, then fail the run. */
    public static PolicySpec retry(int maxAttempts, long backoffNanos) {
        return new PolicySpec(maxAttempts, backoffNanos, Exhausted.FAIL, null);
    }

    /** Route failed items to a channel. */
    public static PolicySpec deadLetter(Sender<Object> sink) {
        return new PolicySpec(1, 0, Exhausted.DEAD_LETTER, sink);
    }

    /** This policy's tries, then {@code next} (with {@code sink} for a dead letter). */
    public PolicySpec then(Exhausted next, Sender<Object> newSink) {
        return new PolicySpec(maxAttempts, backoffNanos, next, newSink);
    }

    /**
     * The sleep after one of {@code backoffNanos}: twice as long, saturated at {@link
     * Long#MAX_VALUE} (about 292 years) instead of overflowing.
     */
    public static long nextBackoff(long backoffNanos) {
        return backoffNanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : backoffNanos * 2;
    }

    @Override
    public String toString() {
        String tries = backoffNanos > 0 ? "retry(" + maxAttempts + ", " + backoffNanos + "ns)" : "";
        String last =
                switch (exhausted) {
                    case FAIL -> tries.isEmpty() ? "failFast" : "";
                    case SKIP -> tries.isEmpty() ? "skip" : ".thenSkip()";
                    case DEAD_LETTER ->
                            (tries.isEmpty() ? "deadLetter(" : ".thenDeadLetter(")
                                    + sink.channel().name()
                                    + ")";
                };
        return tries + last;
    }
}
