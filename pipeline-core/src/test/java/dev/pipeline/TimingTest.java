package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Time-based behaviour, asserted with real bounds (generous on the upper side for slow CI). */
@Timeout(20)
class TimingTest {
    private final Threads threads = new Threads();

    @Test
    void aPartialBatchLeavesAfterMaxWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        long[] firstBatchAt = new long[1];
        long t0 = System.nanoTime();
        Pipeline<List<Integer>> p =
                Pipeline.generate(
                                (dev.pipeline.channel.Sender<Integer> out) -> {
                                    out.send(1);
                                    out.send(2);
                                    release.await(); // the source stalls, the batch must not
                                })
                        .batch(100, Duration.ofMillis(100));
        List<List<Integer>> batches =
                threads.watch(
                                p.peek(
                                        b -> {
                                            firstBatchAt[0] = System.nanoTime();
                                            release.countDown();
                                        }))
                        .toList();
        assertThat(batches).containsExactly(List.of(1, 2));
        long waited = firstBatchAt[0] - t0;
        assertThat(waited)
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100))
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(2000));
        threads.assertAllEnded();
    }

    @Test
    void aFullBatchLeavesWithoutWaiting() {
        long t0 = System.nanoTime();
        List<List<Integer>> batches =
                threads.watch(Pipeline.range(0, 10).batch(5, Duration.ofSeconds(30))).toList();
        assertThat(batches).containsExactly(List.of(0, 1, 2, 3, 4), List.of(5, 6, 7, 8, 9));
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
        threads.assertAllEnded();
    }

    @Test
    void throttleLimitsTheRate() {
        long t0 = System.nanoTime();
        long n = threads.watch(Pipeline.range(0, 30).throttle(10, Duration.ofMillis(100))).count();
        long took = System.nanoTime() - t0;
        assertThat(n).isEqualTo(30);
        // a burst of 10, then 20 more at one per 10 ms: at least 190 ms
        assertThat(took)
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190))
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(3000));
        threads.assertAllEnded();
    }

    @Test
    void throttleLetsABurstThroughAtOnce() {
        long t0 = System.nanoTime();
        threads.watch(Pipeline.range(0, 5).throttle(5, Duration.ofSeconds(10))).count();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        threads.assertAllEnded();
    }
}
