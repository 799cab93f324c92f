package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pipeline.channel.Channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

@Timeout(20)
class ErrorPolicyTest {
    private final Threads threads = new Threads();

    private static Integer failOnOdd(Integer x) throws IOException {
        if (x % 2 == 1) {
            throw new IOException("odd " + x);
        }
        return x;
    }

    @Test
    void skipDropsFailedItems() {
        assertThat(
                        threads.watch(
                                        Pipeline.range(0, 10)
                                                .map(ErrorPolicyTest::failOnOdd)
                                                .onError(ErrorPolicy.skip()))
                                .toList())
                .containsExactly(0, 2, 4, 6, 8);
        threads.assertAllEnded();
    }

    @Test
    void skipOnFilterAndForEach() {
        List<Integer> seen = new ArrayList<>();
        threads.watch(
                        Pipeline.range(0, 6)
                                .filter(
                                        x -> {
                                            if (x == 2) {
                                                throw new IOException();
                                            }
                                            return true;
                                        })
                                .onError(ErrorPolicy.skip()))
                .forEach(seen::add);
        assertThat(seen).containsExactly(0, 1, 3, 4, 5);
        threads.assertAllEnded();
    }

    /** The identity, failing the first {@code failures} calls in all; counts the calls. */
    static StageFunction<Integer, Integer> failingFirst(int failures, AtomicInteger calls) {
        return x -> {
            if (calls.incrementAndGet() <= failures) {
                throw new IOException("flaky");
            }
            return x;
        };
    }

    /**
     * Runs one item through a stage "flaky" calling {@code fn}, retried by {@code policy}, and
     * returns what the run threw (failing the test if it threw nothing).
     */
    static Throwable failureOfOneItem(
            Threads threads, StageFunction<Integer, Integer> fn, ErrorPolicy<Object> policy) {
        Throwable thrown =
                catchThrowable(
                        () ->
                                threads.watch(Pipeline.range(0, 1).map("flaky", fn).onError(policy))
                                        .toList());
        assertThat(thrown).isInstanceOf(PipelineException.class);
        assertThat(((PipelineException) thrown).stageName()).isEqualTo("flaky");
        return thrown;
    }

    @Test
    void retrySucceedsWithinItsAttempts() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 1)
                                        .map(failingFirst(2, calls))
                                        .onError(ErrorPolicy.retry(3, Duration.ofMillis(10))))
                        .toList();
        assertThat(out).containsExactly(0);
        assertThat(calls.get()).isEqualTo(3);
        threads.assertAllEnded();
    }

    @Test
    void retryBacksOffExponentiallyThenFails() {
        AtomicInteger calls = new AtomicInteger();
        long t0 = System.nanoTime();
        Throwable thrown =
                failureOfOneItem(
                        threads,
                        failingFirst(Integer.MAX_VALUE, calls),
                        ErrorPolicy.retry(3, Duration.ofMillis(50)));
        assertThat(thrown.getCause().getSuppressed()).hasSize(2); // tries 1 and 2
        long took = System.nanoTime() - t0;
        assertThat(calls.get()).isEqualTo(3);
        // 50 ms + 100 ms of backoff
        assertThat(took).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        threads.assertAllEnded();
    }

    @Test
    void deadLetterRoutesTheItemAndGoesOn() throws Exception {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        var deadRx = dead.receiver();
        var deadTx = dead.sender();
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 6)
                                        .map("checked", ErrorPolicyTest::failOnOdd)
                                        .onError(ErrorPolicy.deadLetter(deadTx)))
                        .toList();
        deadTx.close();
        assertThat(out).containsExactly(0, 2, 4);
        List<DeadLetter<Integer>> letters = new ArrayList<>();
        for (DeadLetter<Integer> d : deadRx) {
            letters.add(d);
        }
        assertThat(letters).extracting(DeadLetter<Integer>::item).containsExactly(1, 3, 5);
        assertThat(letters)
                .allSatisfy(
                        d -> {
                            assertThat(d.stage()).isEqualTo("checked");
                            assertThat(d.attempt()).isEqualTo(1);
                            assertThat(d.error()).isInstanceOf(IOException.class);
                        });
        threads.assertAllEnded();
    }

    @Test
    void closedDeadLetterChannelFailsTheRun() {
        Channel<DeadLetter<Integer>> dead = Channel.bounded(1);
        var tx = dead.sender();
        dead.receiver().close();
        assertThatThrownBy(
                        () ->
                                threads.watch(
                                                Pipeline.range(0, 4)
                                                        .map("m", ErrorPolicyTest::failOnOdd)
                                                        .onError(ErrorPolicy.deadLetter(tx)))
                                        .toList())
                .isInstanceOf(PipelineException.class);
        threads.assertAllEnded();
    }

    @Test
    void onlyStagesThatCallAFunctionPerItemOfferOnError() {
        // onError is a method of Pipeline.Stage only: `range(0, 3).take(2).onError(..)` does not
        // compile, where it used to fail when built
        assertThat(Pipeline.range(0, 3).take(2)).isNotInstanceOf(Pipeline.Stage.class);
        assertThat(Pipeline.range(0, 3).map(x -> x).take(2)).isNotInstanceOf(Pipeline.Stage.class);
        assertThat(Pipeline.range(0, 3).map(x -> x).capacity(4).named("n"))
                .isInstanceOf(Pipeline.Stage.class);
    }
}
