package dev.pipeline;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * A running pipeline, returned by {@link Pipeline#start()}: wait for its result, cancel it, or
 * watch its metrics. Thread-safe.
 *
 * <pre>{@code
 * PipelineRun<Long> run = Pipeline.range(0, 1_000_000).map(x -> (long) x * x)
 *         .start(Collectors.summingLong(x -> x));
 * System.out.println(run.metrics().report());
 * long sum = run.await();
 * }</pre>
 *
 * @param <R> the result type
 */
public interface PipelineRun<R> {

    /**
     * Waits until every thread of the run has ended and returns the result.
     *
     * <p>A run that has ended gives its outcome (result, {@link PipelineException} or {@link
     * CancellationException}) without looking at the caller's interrupt flag, and leaves the flag
     * as it was, as {@link java.util.concurrent.FutureTask#get()} does. Every call gives the same
     * outcome.
     *
     * @return the terminal's result ({@code null} for {@link Pipeline#start()})
     * @throws PipelineException if a stage failed
     * @throws CancellationException if the run was cancelled
     * @throws InterruptedException if interrupted while waiting (or called with the interrupt flag
     *     set before the run ended): the run is then cancelled and its threads have ended; as with
     *     every method that throws {@code InterruptedException}, the flag is clear
     * @throws IllegalStateException if called from one of the run's own stage threads, which would
     *     wait for itself forever
     */
    R await() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the run; on timeout cancels it and waits for its threads to
     * end before throwing. If the run ends (or fails) just as the timeout expires, before the
     * cancellation takes effect, its real outcome is given instead of {@link TimeoutException}; so
     * after a {@code TimeoutException} the run was cancelled, and a later {@link #await()} throws
     * {@link CancellationException}.
     *
     * @param timeout the longest time to wait, positive (a huge one waits without limit)
     * @return the terminal's result
     * @throws TimeoutException if the run did not end in time (it was cancelled)
     * @throws PipelineException if a stage failed
     * @throws CancellationException if the run was cancelled
     * @throws InterruptedException if interrupted while waiting, as for {@link #await()}
     * @throws IllegalStateException if called from one of the run's own stage threads
     */
    R await(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Cancels the run: every stage thread is interrupted and stops; {@link #await()} then throws
     * {@link CancellationException}. Does not wait. Harmless once the run is done.
     */
    void cancel();

    /**
     * Whether every thread of the run has ended.
     *
     * @return {@code true} once the run has ended, whether it succeeded, failed or was cancelled
     */
    boolean isDone();

    /**
     * A live snapshot of the run's metrics.
     *
     * @return the run's metrics
     */
    PipelineMetrics metrics();
}
