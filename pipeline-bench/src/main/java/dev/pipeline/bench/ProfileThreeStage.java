package dev.pipeline.bench;

import dev.pipeline.Pipeline;
import dev.pipeline.PipelineRun;
import dev.pipeline.StageMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The 3-stage DSL pipeline run in a plain loop, for an external profiler (not JMH, which adds its
 * own threads to the samples) and for the spread between runs: {@code perf record -e cpu-clock -F
 * 4999 -- java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -cp benchmarks.jar
 * dev.pipeline.bench.ProfileThreeStage 600}, then {@code perf report --sort comm,sym}.
 *
 * <p>After 200 unmeasured runs (warm-up) it prints the distribution of the runs' items per second
 * (percentiles, and the overall rate: all items over all time) and, for the slowest and the
 * fastest quarter of the runs, each stage's mean busy and blocked times from the run's metrics:
 * where a slow run lost its time. The terminal is {@code start(Collectors.reducing(0L,
 * Long::sum))} (a {@link PipelineRun} exposes the metrics), not the benchmark's {@code reduce}.
 */
public final class ProfileThreeStage {

    private static final int WARMUP_RUNS = 200;

    private ProfileThreeStage() {}

    /** One measured run: items per second and per stage {busy, blocked sending, receiving} ms. */
    private record Sample(double itemsPerSecond, List<double[]> stages) {}

    /**
     * Runs the pipeline 200 + {@code args[0]} times (default 600 measured) over 1,000,000 items.
     *
     * @param args the number of measured runs
     * @throws InterruptedException if interrupted while a run is awaited
     */
    public static void main(String[] args) throws InterruptedException {
        int n = ThreeStagePipelineBenchmark.ITEMS;
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        List<Sample> samples = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int r = 0; r < WARMUP_RUNS + runs; r++) {
            long t0 = System.nanoTime();
            PipelineRun<Long> run =
                    Pipeline.range(0, n)
                            .map("square", x -> (long) x * x)
                            .start(Collectors.reducing(0L, Long::sum));
            long sum = run.await();
            long t1 = System.nanoTime();
            Bench.check("dsl", Bench.sumOfSquares(n), sum);
            if (r < WARMUP_RUNS) {
                continue;
            }
            List<double[]> stages = new ArrayList<>();
            for (StageMetrics m : run.metrics().stages()) {
                if (samples.isEmpty()) {
                    names.add(m.name());
                }
                stages.add(
                        new double[] {
                            m.busyNanos() / 1e6,
                            m.blockedSendingNanos() / 1e6,
                            m.blockedReceivingNanos() / 1e6
                        });
            }
            samples.add(new Sample(n * 1e9 / (t1 - t0), stages));
        }
        samples.sort((a, b) -> Double.compare(a.itemsPerSecond, b.itemsPerSecond));
        double[] rates = samples.stream().mapToDouble(Sample::itemsPerSecond).toArray();
        double seconds = Arrays.stream(rates).map(x -> n / x).sum();
        System.out.printf(
                "%d runs of %d items: p10 %.1f, p25 %.1f, p50 %.1f, p75 %.1f, p90 %.1f M items/s;"
                        + " overall %.1f M items/s%n",
                runs,
                n,
                rates[runs / 10] / 1e6,
                rates[runs / 4] / 1e6,
                rates[runs / 2] / 1e6,
                rates[3 * runs / 4] / 1e6,
                rates[9 * runs / 10] / 1e6,
                runs * (double) n / seconds / 1e6);
        int quarter = Math.max(1, runs / 4);
        print("slowest quarter", samples.subList(0, quarter), names);
        print("fastest quarter", samples.subList(runs - quarter, runs), names);
    }

    private static void print(String what, List<Sample> group, List<String> names) {
        System.out.printf(
                "%s (%.1f-%.1f M items/s), mean ms per run:%n",
                what,
                group.get(0).itemsPerSecond / 1e6,
                group.get(group.size() - 1).itemsPerSecond / 1e6);
        for (int s = 0; s < names.size(); s++) {
            double[] mean = new double[3];
            for (Sample x : group) {
                for (int k = 0; k < 3; k++) {
                    mean[k] += x.stages.get(s)[k] / group.size();
                }
            }
            System.out.printf(
                    "  %-8s busy %6.2f, blocked sending %6.2f, blocked receiving %6.2f%n",
                    names.get(s), mean[0], mean[1], mean[2]);
        }
    }
}
