package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ReceiveResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Error} thrown by a stage's function is never retried, skipped or dead-lettered: under
 * every policy it fails the run, naming the stage, with the Error as the cause.
 */
@Timeout(20)
class ErrorPolicyErrorTest {
    private final Threads threads = new Threads();
    private final AtomicInteger calls = new AtomicInteger();

    private void assertErrorFailsTheRun(ErrorPolicy<? super Integer> policy, Error error) {
        assertThatThrownBy(
                        () ->
                                threads.watch(
                                                Pipeline.range(0, 5)
                                                        .map(
                                                                "boom",
                                                                x -> {
                                                                    calls.incrementAndGet();
                                                                    throw error;
                                                                })
                                                        .onError(policy))
                                        .toList())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("boom"))
                .satisfies(e -> assertThat(e.getCause()).isSameAs(error));
        assertThat(calls.get()).as("tries: an Error is never retried").isEqualTo(1);
        threads.assertAllEnded();
    }

    @Test
    void failFastFailsOnAnError() {
        assertErrorFailsTheRun(ErrorPolicy.failFast(), new AssertionError("broken invariant"));
    }

    @Test
    void skipDoesNotSkipAnError() {
        assertErrorFailsTheRun(ErrorPolicy.skip(), new StackOverflowError());
    }

    @Test
    void retryDoesNotRetryAnError() {
        assertErrorFailsTheRun(
                ErrorPolicy.retry(5, Duration.ofMillis(1)), new AssertionError("broken invariant"));
    }

    @Test
    void deadLetterDoesNotRouteAnError() {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        assertErrorFailsTheRun(ErrorPolicy.deadLetter(dead.sender()), new StackOverflowError());
        assertThat(dead.receiver().tryReceive()).isInstanceOf(ReceiveResult.Empty.class);
    }

    @Test
    void retryThenSkipDoesNotSkipAnError() {
        assertErrorFailsTheRun(
                ErrorPolicy.retry(3, Duration.ofMillis(1)).thenSkip(), new StackOverflowError());
    }

    @Test
    void retryThenDeadLetterDoesNotRouteAnError() {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        assertErrorFailsTheRun(
                ErrorPolicy.retry(3, Duration.ofMillis(1)).thenDeadLetter(dead.sender()),
                new AssertionError("broken invariant"));
        assertThat(dead.receiver().tryReceive()).isInstanceOf(ReceiveResult.Empty.class);
    }

    @Test
    void forEachsPolicyDoesNotHandleAnError() {
        StackOverflowError error = new StackOverflowError();
        assertThatThrownBy(
                        () ->
                                threads.watch(Pipeline.range(0, 3))
                                        .forEach(
                                                "sink",
                                                x -> {
                                                    calls.incrementAndGet();
                                                    throw error;
                                                },
                                                ErrorPolicy.skip()))
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("sink"))
                .satisfies(e -> assertThat(e.getCause()).isSameAs(error));
        assertThat(calls.get()).isEqualTo(1);
        threads.assertAllEnded();
    }

    @Test
    void anErrorDuringARetryEndsTheRetries() {
        AssertionError error = new AssertionError("on the second try");
        assertThatThrownBy(
                        () ->
                                threads.watch(
                                                Pipeline.range(0, 1)
                                                        .map(
                                                                "boom",
                                                                x -> {
                                                                    if (calls.incrementAndGet()
                                                                            == 1) {
                                                                        throw new java.io
                                                                                .IOException(
                                                                                "first");
                                                                    }
                                                                    throw error;
                                                                })
                                                        .onError(
                                                                ErrorPolicy.retry(
                                                                        5, Duration.ofMillis(1))))
                                        .toList())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("boom"))
                .satisfies(e -> assertThat(e.getCause()).isSameAs(error));
        assertThat(calls.get()).isEqualTo(2);
        threads.assertAllEnded();
    }
}
