package dev.pipeline;

import static com.google.common.base.Preconditions.checkArgument;

import static java.util.Objects.requireNonNull;

import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Durations;
import dev.pipeline.internal.run.PolicySpec;

import java.time.Duration;

/**
 * What a stage does when its function throws an {@link Exception} on an item; set with {@link
 * Pipeline.Stage#onError(ErrorPolicy)} on the stages that call a function per item (map, filter,
 * flatMap, peek, takeWhile, scan, the parallel maps) and given to {@link
 * Pipeline#forEach(String, StageConsumer, ErrorPolicy)}. Immutable and thread-safe; one policy may
 * serve many stages and runs.
 *
 * <p>A policy tries the function on the failed item again ({@link #retry}, or once in all), then,
 * when the last try has failed too, fails the run ({@link #failFast}, and {@code retry} alone),
 * drops the item ({@link #skip}, {@link Retry#thenSkip}) or sends a {@link DeadLetter} ({@link
 * #deadLetter}, {@link Retry#thenDeadLetter}). A stage has one policy: setting a second one is an
 * {@link IllegalStateException} when the pipeline is built, so combine them in one:
 *
 * <pre>{@code
 * Channel<DeadLetter<String>> dead = Channel.unbounded();
 * Pipeline.from(urls)                                    // Pipeline<String>
 *         .mapParallel("fetch", 8, url -> fetch(url))    // Pipeline.Stage<String, Page>
 *         .onError(ErrorPolicy.retry(3, Duration.ofMillis(100)).thenDeadLetter(dead.sender()))
 *         .toList();
 * }</pre>
 *
 * <p><b>Typing.</b> {@code T} is the type of the items the policy can handle: a stage whose input
 * type is {@code I} accepts an {@code ErrorPolicy<? super I>}. Policies that never hand an item back
 * ({@code failFast}, {@code skip}, {@code retry}, {@code retry(...).thenSkip()}) take their {@code
 * T} from where they are used, so any stage accepts them; a dead-letter policy takes it from its
 * channel, so a {@code Sender<DeadLetter<String>>} serves only stages whose input is a {@code
 * String} (the compiler checks it).
 *
 * <p><b>What a policy sees.</b> Only exceptions thrown by the stage's function for one item. {@link
 * Error}s ({@link OutOfMemoryError}, {@link StackOverflowError}, {@link AssertionError}, ...) are
 * never retried, skipped or dead-lettered under any policy: they fail the run at once, naming the
 * stage, with the Error as the cause (the JVM or the program is in a state no retry can mend). The
 * {@link InterruptedException} and channel-closed signals of the hand-offs are not the function's
 * failures and are never seen by a policy either.
 *
 * @param <T> the type of the items the policy handles
 */
public sealed class ErrorPolicy<T> permits ErrorPolicy.Retry {

    private static final ErrorPolicy<Object> FAIL_FAST = new ErrorPolicy<>(PolicySpec.failFast());
    private static final ErrorPolicy<Object> SKIP = new ErrorPolicy<>(PolicySpec.skip());

    private final PolicySpec spec;

    private ErrorPolicy(PolicySpec spec) {
        this.spec = spec;
    }

    /**
     * The default: the first exception fails the run with a {@link PipelineException} naming the
     * stage, with the exception as its cause.
     *
     * @param <T> the item type, any
     * @return the fail-fast policy
     */
    @SuppressWarnings("unchecked") // holds no item: one instance serves every type
    public static <T> ErrorPolicy<T> failFast() {
        return (ErrorPolicy<T>) FAIL_FAST;
    }

    /**
     * Drops the item the function failed on and goes on with the next.
     *
     * @param <T> the item type, any
     * @return the skip policy
     */
    @SuppressWarnings("unchecked") // holds no item: one instance serves every type
    public static <T> ErrorPolicy<T> skip() {
        return (ErrorPolicy<T>) SKIP;
    }

    /**
     * Tries the function again on the same item, up to {@code maxAttempts} tries in all, sleeping
     * {@code initialBackoff} before the second try and twice as long before each later one (the
     * sleeps saturate at about 292 years instead of overflowing: a huge backoff means "never
     * again", and a cancelled run ends a sleeping retry at once, as the sleep is interrupted). If
     * the last try fails, the run fails with the last exception; unless {@link Retry#thenSkip} or
     * {@link Retry#thenDeadLetter} says what to do instead. The earlier exceptions of the item, each
     * distinct instance once, are added as suppressed to the last one (never to itself: a function
     * that throws the same instance every time fails the run with exactly that instance).
     *
     * @param maxAttempts tries in all, at least 1
     * @param initialBackoff the sleep before the second try, positive
     * @param <T> the item type, any
     * @return the policy, which fails the run after the last try
     * @throws IllegalArgumentException if {@code maxAttempts < 1} or the backoff is not positive
     */
    public static <T> Retry<T> retry(int maxAttempts, Duration initialBackoff) {
        checkArgument(maxAttempts >= 1, "maxAttempts must be >= 1 but was %s", maxAttempts);
        requireNonNull(initialBackoff, "initialBackoff");
        checkArgument(
                !initialBackoff.isNegative() && !initialBackoff.isZero(),
                "initialBackoff must be positive but was %s",
                initialBackoff);
        return new Retry<>(PolicySpec.retry(maxAttempts, Durations.saturatedNanos(initialBackoff)));
    }

    /**
     * Sends a {@link DeadLetter} with the item and the exception to {@code sink} (attempt 1), then
     * goes on with the next item. The stage waits while {@code sink}'s channel is full, which
     * holds back the whole run: drain it while the run goes on, or make it unbounded (the run's
     * {@linkplain PipelineMetrics#report() report} names a stage blocked on it). The runtime never
     * closes {@code sink}; if no receiver is left on it, the run fails, naming the stage.
     *
     * @param sink the dead-letter channel, not null
     * @param <T> the stage's input type
     * @return the policy
     */
    public static <T> ErrorPolicy<T> deadLetter(Sender<? super DeadLetter<T>> sink) {
        return new ErrorPolicy<>(PolicySpec.deadLetter(untyped(sink)));
    }

    @SuppressWarnings("unchecked") // the runtime sends it only DeadLetter<T>s (erased to Object)
    private static Sender<Object> untyped(Sender<?> sink) {
        return (Sender<Object>) requireNonNull(sink, "sink");
    }

    PolicySpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "ErrorPolicy[" + spec + "]";
    }

    /**
     * A {@linkplain ErrorPolicy#retry retry}: used as it is, the run fails after the last try;
     * {@link #thenSkip()} and {@link #thenDeadLetter} say what to do with the item instead. Immutable
     * and thread-safe.
     *
     * <pre>{@code
     * .map("load", this::load)
     * .onError(ErrorPolicy.retry(5, Duration.ofMillis(50)).thenDeadLetter(dead.sender()))
     * }</pre>
     *
     * @param <T> the type of the items the policy handles
     */
    public static final class Retry<T> extends ErrorPolicy<T> {
        private Retry(PolicySpec spec) {
            super(spec);
        }

        /**
         * This retry, then, when the last try has failed, drops the item and goes on with the next.
         *
         * @param <U> the item type, any
         * @return the policy
         */
        public <U extends T> ErrorPolicy<U> thenSkip() {
            return new ErrorPolicy<>(spec().then(PolicySpec.Exhausted.SKIP, null));
        }

        /**
         * This retry, then, when the last try has failed, sends a {@link DeadLetter} with the item,
         * the last exception (earlier ones suppressed in it) and the number of tries made to {@code
         * sink}, and goes on with the next item. See {@link ErrorPolicy#deadLetter} for the channel.
         *
         * @param sink the dead-letter channel, not null
         * @param <U> the stage's input type
         * @return the policy
         */
        public <U extends T> ErrorPolicy<U> thenDeadLetter(Sender<? super DeadLetter<U>> sink) {
            return new ErrorPolicy<>(spec().then(PolicySpec.Exhausted.DEAD_LETTER, untyped(sink)));
        }
    }
}
