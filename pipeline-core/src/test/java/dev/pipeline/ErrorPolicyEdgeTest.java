package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Retry at the edges: reused exception instances, huge backoffs, cancellation while sleeping. */
@Timeout(20)
class ErrorPolicyEdgeTest {
    private final Threads threads = new Threads();

    @Test
    void retryOfAReusedExceptionFailsWithThatException() {
        IOException same = new IOException("same instance every time");
        AtomicInteger calls = new AtomicInteger();
        Throwable thrown =
                ErrorPolicyTest.failureOfOneItem(
                        threads,
                        x -> {
                            calls.incrementAndGet();
                            throw same;
                        },
                        ErrorPolicy.retry(3, Duration.ofMillis(1)));
        assertThat(thrown.getCause()).isSameAs(same);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(same.getSuppressed()).isEmpty();
        threads.assertAllEnded();
    }

    @Test
    void retryOfAlternatingInstancesSuppressesEachOtherOnceInTheLast() {
        IOException a = new IOException("a");
        IOException b = new IOException("b");
        AtomicInteger calls = new AtomicInteger();
        Throwable thrown =
                ErrorPolicyTest.failureOfOneItem(
                        threads,
                        x -> {
                            throw calls.incrementAndGet() % 2 == 1 ? a : b;
                        },
                        ErrorPolicy.retry(5, Duration.ofMillis(1)));
        assertThat(thrown.getCause()).isSameAs(a);
        assertThat(calls.get()).isEqualTo(5);
        assertThat(a.getSuppressed()).containsExactly(b);
        assertThat(b.getSuppressed()).isEmpty();
        threads.assertAllEnded();
    }

    @Test
    void hugeBackoffsSaturateInsteadOfOverflowing() {
        assertThat(ErrorPolicy.retry(2, Duration.ofDays(1_000_000)).toString())
                .contains(Long.toString(Long.MAX_VALUE));
        assertThat(ErrorPolicy.retry(2, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)).toString())
                .contains(Long.toString(Long.MAX_VALUE));
        assertThat(ErrorPolicy.retry(2, Duration.ofNanos(Long.MAX_VALUE)).toString())
                .contains(Long.toString(Long.MAX_VALUE));
        assertThat(ErrorPolicy.retry(2, Duration.ofNanos(1)).toString()).contains("1ns");
    }

    @Test
    void nonPositiveBackoffsAreRejected() {
        assertThatThrownBy(() -> ErrorPolicy.retry(2, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> ErrorPolicy.retry(2, Duration.ofSeconds(Long.MIN_VALUE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorPolicy.retry(0, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be >= 1 but was 0");
    }

    @Test
    void cancelEndsARetrySleepingForAnAge() throws Exception {
        CountDownLatch firstTry = new CountDownLatch(1);
        PipelineRun<Void> run =
                threads.watch(
                                Pipeline.range(0, 1)
                                        .map(
                                                "flaky",
                                                x -> {
                                                    firstTry.countDown();
                                                    throw new IOException("always");
                                                })
                                        .onError(ErrorPolicy.retry(2, Duration.ofDays(1_000_000))))
                        .start();
        assertThat(firstTry.await(10, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        run.cancel();
        assertThatThrownBy(run::await).isInstanceOf(CancellationException.class);
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        threads.assertAllEnded();
    }

    @Test
    void settingAPolicyTwiceOnOneStageFailsNamingTheStage() {
        assertThatThrownBy(
                        () ->
                                Pipeline.range(0, 3)
                                        .map("fetch", x -> x)
                                        .onError(ErrorPolicy.retry(3, Duration.ofMillis(1)))
                                        .capacity(8)
                                        .onError(ErrorPolicy.skip()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'fetch'");
    }
}
