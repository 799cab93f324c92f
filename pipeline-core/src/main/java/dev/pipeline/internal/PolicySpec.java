package dev.pipeline.internal;

import dev.pipeline.DeadLetter;
import dev.pipeline.channel.Sender;

/**
 * The runtime form of {@link dev.pipeline.ErrorPolicy}.
 *
 * @param kind what to do
 * @param maxAttempts tries in all (retry)
 * @param backoffNanos sleep before the second try (retry)
 * @param sink the dead-letter channel (dead letter)
 */
public record PolicySpec(
        Kind kind, int maxAttempts, long backoffNanos, Sender<? super DeadLetter> sink) {

    /** The policy kinds. */
    public enum Kind {
        /** Fail the run. */
        FAIL,
        /** Drop the item. */
        SKIP,
        /** Try again with backoff. */
        RETRY,
        /** Send a dead letter. */
        DEAD_LETTER
    }

    /** Fail the run at the first exception. */
    public static PolicySpec failFast() {
        return new PolicySpec(Kind.FAIL, 1, 0, null);
    }

    /** Drop failed items. */
    public static PolicySpec skip() {
        return new PolicySpec(Kind.SKIP, 1, 0, null);
    }

    /** Retry with exponential backoff. */
    public static PolicySpec retry(int maxAttempts, long backoffNanos) {
        return new PolicySpec(Kind.RETRY, maxAttempts, backoffNanos, null);
    }

    /** Route failed items to a channel. */
    public static PolicySpec deadLetter(Sender<? super DeadLetter> sink) {
        return new PolicySpec(Kind.DEAD_LETTER, 1, 0, sink);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FAIL -> "failFast";
            case SKIP -> "skip";
            case RETRY -> "retry(" + maxAttempts + ", " + backoffNanos + "ns)";
            case DEAD_LETTER -> "deadLetter(" + sink.channel().name() + ")";
        };
    }
}
