package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.ChannelStats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

@Timeout(20)
class MetricsTest {
    private final Threads threads = new Threads();

    @Test
    void countsItemsPerStageAndNamesTheSlowStageTheBottleneck() throws Exception {
        PipelineRun<Long> run =
                threads.watch(
                                Pipeline.range(0, 200)
                                        .map("fast", x -> x + 1)
                                        .map(
                                                "slow",
                                                x -> {
                                                    Thread.sleep(1);
                                                    return x;
                                                })
                                        .filter("even", x -> x % 2 == 0)
                                        .named("m"))
                        .start(Collectors.counting());
        assertThat(run.await()).isEqualTo(100L);
        PipelineMetrics m = run.metrics();
        assertThat(m.stages())
                .extracting(StageMetrics::name)
                .containsExactly("range", "fast", "slow", "even", "collect");
        StageMetrics fast = m.stages().get(1);
        assertThat(fast.itemsIn()).isEqualTo(200);
        assertThat(fast.itemsOut()).isEqualTo(200);
        StageMetrics even = m.stages().get(3);
        assertThat(even.itemsIn()).isEqualTo(200);
        assertThat(even.itemsOut()).isEqualTo(100);
        assertThat(m.bottleneck()).map(StageMetrics::name).contains("slow");
        assertThat(m.report()).contains("bottleneck: stage 'slow'").contains("m.fast");
        assertThat(m.channels()).extracting(ChannelStats::name).contains("m.range", "m.slow");
        threads.assertAllEnded();
    }

    @Test
    void metricsAreLiveWhileRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PipelineRun<Void> run =
                threads.watch(
                                Pipeline.range(0, 100)
                                        .map(
                                                "gate",
                                                x -> {
                                                    if (x == 50) {
                                                        release.await();
                                                    }
                                                    return x;
                                                }))
                        .start();
        // the gate holds item 50; a fast stage may also hold up to 63 outputs while its function
        // blocks (ItemWorker.PENDING), so watch the gate's input, which is live
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (run.metrics().stages().get(1).itemsIn() < 51 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(run.isDone()).isFalse();
        assertThat(run.metrics().stages().get(1).itemsIn()).isGreaterThanOrEqualTo(51);
        assertThat(run.metrics().stages().get(2).itemsIn()).isLessThanOrEqualTo(50);
        release.countDown();
        run.await();
        assertThat(run.metrics().stages().get(2).itemsIn()).isEqualTo(100);
        threads.assertAllEnded();
    }

    @Test
    void logSummaryLogsTheReport() {
        assertThat(threads.watch(Pipeline.range(0, 10).logSummary()).count()).isEqualTo(10);
        threads.assertAllEnded();
    }
}
