package dev.pipeline.bench;

import dev.pipeline.Pipeline;
import dev.pipeline.PipelineRun;
import dev.pipeline.StageMetrics;

import java.util.stream.Collectors;

/**
 * The 3-stage DSL pipeline run in a plain loop, for an external profiler (not JMH, which adds its
 * own threads to the samples): {@code perf record -e cpu-clock -F 4999 -- java
 * -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -cp benchmarks.jar
 * dev.pipeline.bench.ProfileThreeStage 600}, then {@code perf report --sort comm,sym}. Prints the
 * items per second and the stage metrics of the last five runs.
 */
public final class ProfileThreeStage {

    private ProfileThreeStage() {}

    /**
     * Runs the pipeline {@code args[0]} times (default 600) over 1,000,000 items.
     *
     * @param args the number of runs
     * @throws InterruptedException if interrupted while a run is awaited
     */
    public static void main(String[] args) throws InterruptedException {
        int n = ThreeStagePipelineBenchmark.ITEMS;
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            PipelineRun<Long> run =
                    Pipeline.range(0, n)
                            .map("square", x -> (long) x * x)
                            .start(Collectors.reducing(0L, Long::sum));
            long sum = run.await();
            long t1 = System.nanoTime();
            Bench.check("dsl", Bench.sumOfSquares(n), sum);
            if (r >= runs - 5) {
                System.out.printf("%.1f M items/s%n", n * 1e3 / (t1 - t0));
                for (StageMetrics m : run.metrics().stages()) {
                    System.out.printf(
                            "  %-8s busy %6.2f ms, blocked sending %6.2f ms, receiving %6.2f ms%n",
                            m.name(),
                            m.busyNanos() / 1e6,
                            m.blockedSendingNanos() / 1e6,
                            m.blockedReceivingNanos() / 1e6);
                }
            }
        }
    }
}
