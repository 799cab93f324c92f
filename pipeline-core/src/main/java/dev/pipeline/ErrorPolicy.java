package dev.pipeline;

import static com.google.common.base.Preconditions.checkArgument;

import static java.util.Objects.requireNonNull;

import dev.pipeline.channel.Sender;
import dev.pipeline.internal.PolicySpec;

import java.time.Duration;

/**
 * What a stage does when its function throws on an item; set with {@link
 * Pipeline#onError(ErrorPolicy)} on stages that call a function per item (map, filter, flatMap,
 * peek, takeWhile, scan, the parallel maps, forEach). Immutable.
 *
 * <pre>{@code
 * Pipeline.from(urls)
 *         .mapParallel(8, url -> fetch(url))
 *         .onError(ErrorPolicy.retry(3, Duration.ofMillis(100)))
 *         .toList();
 * }</pre>
 */
public final class ErrorPolicy {

    private static final ErrorPolicy FAIL_FAST = new ErrorPolicy(PolicySpec.failFast());
    private static final ErrorPolicy SKIP = new ErrorPolicy(PolicySpec.skip());

    private final PolicySpec spec;

    private ErrorPolicy(PolicySpec spec) {
        this.spec = spec;
    }

    /**
     * The default: the first exception fails the run with a {@link PipelineException}.
     *
     * @return the fail-fast policy
     */
    public static ErrorPolicy failFast() {
        return FAIL_FAST;
    }

    /**
     * Drops the item the function failed on and goes on with the next.
     *
     * @return the skip policy
     */
    public static ErrorPolicy skip() {
        return SKIP;
    }

    /**
     * Tries the function again on the same item, up to {@code maxAttempts} tries in all, sleeping
     * {@code initialBackoff} before the second try and twice as long before each later one; if the
     * last try fails, the run fails (earlier exceptions suppressed in the last one).
     *
     * @param maxAttempts tries in all, at least 1
     * @param initialBackoff the sleep before the second try, positive
     * @return the policy
     * @throws IllegalArgumentException if {@code maxAttempts < 1} or the backoff is not positive
     */
    public static ErrorPolicy retry(int maxAttempts, Duration initialBackoff) {
        checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1 but was %s", maxAttempts);
        requireNonNull(initialBackoff, "initialBackoff");
        checkArgument(
                !initialBackoff.isNegative() && !initialBackoff.isZero(),
                "initialBackoff must be positive but was %s",
                initialBackoff);
        return new ErrorPolicy(PolicySpec.retry(maxAttempts, initialBackoff.toNanos()));
    }

    /**
     * Sends a {@link DeadLetter} with the item and the exception to {@code sink}, then goes on with
     * the next item. The runtime never closes {@code sink}; if it is closed, the run fails.
     *
     * @param sink the dead-letter channel, not null
     * @return the policy
     */
    public static ErrorPolicy deadLetter(Sender<? super DeadLetter> sink) {
        return new ErrorPolicy(PolicySpec.deadLetter(requireNonNull(sink, "sink")));
    }

    PolicySpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "ErrorPolicy[" + spec + "]";
    }
}
