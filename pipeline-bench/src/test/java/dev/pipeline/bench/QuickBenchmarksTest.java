package dev.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The quick mode: runs every benchmark once, briefly, in this JVM (no fork, no warm-up, one
 * iteration of 100 ms, items divided by {@value #SCALE}, the smallest secondary parameters) and
 * asserts that each produced a score. It proves the benchmarks run and their checksums hold; the
 * scores are meaningless (wrong by the scale factor, unwarmed) and are not asserted.
 */
class QuickBenchmarksTest {

    static final int SCALE = 100;

    /** Benchmark class, then the secondary parameters narrowed to one cheap value. */
    static Collection<Object[]> benchmarks() {
        return java.util.List.of(
                new Object[] {"ChannelThroughputBenchmark", Map.of(), 3 * 4 * 2},
                new Object[] {"ChannelBatchBenchmark", Map.of(), 2},
                new Object[] {"RendezvousBenchmark", Map.of(), 4 * 2},
                new Object[] {"PingPongBenchmark", Map.of(), 4 * 2},
                new Object[] {"ThreeStagePipelineBenchmark", Map.of(), 12},
                new Object[] {"ParallelMapPipelineBenchmark", Map.of("rounds", "20"), 3},
                new Object[] {"LogAggregationBenchmark", Map.of(), 3},
                new Object[] {"LogAggregatorBenchmark", Map.of(), 4},
                new Object[] {"LongChainBenchmark", Map.of(), 2},
                new Object[] {"StageScalingBenchmark", Map.of("stages", "2"), 2},
                new Object[] {"CapacityScalingBenchmark", Map.of("capacity", "16"), 3},
                new Object[] {"ProducerScalingBenchmark", Map.of("producers", "4"), 2});
    }

    private static String previousScale;

    @BeforeAll
    static void quickMode() {
        previousScale = System.getProperty("pipeline.bench.scale");
        System.setProperty("pipeline.bench.scale", Integer.toString(SCALE));
    }

    @AfterAll
    static void restore() {
        if (previousScale == null) {
            System.clearProperty("pipeline.bench.scale");
        } else {
            System.setProperty("pipeline.bench.scale", previousScale);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarks")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyParameterCombinationProducesAScore(
            String benchmark, Map<String, String> params, int combinations) throws RunnerException {
        ChainedOptionsBuilder options =
                new OptionsBuilder()
                        .include("^" + Pattern.quote("dev.pipeline.bench." + benchmark) + "\\.")
                        .forks(0)
                        .warmupIterations(0)
                        .measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(100))
                        .timeout(TimeValue.seconds(30))
                        .shouldFailOnError(true)
                        .verbosity(VerboseMode.SILENT);
        params.forEach(options::param);

        Collection<RunResult> results = new Runner(options.build()).run();

        assertThat(results).hasSize(combinations);
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore())
                    .as("%s %s", benchmark, r.getParams())
                    .isPositive();
        }
    }
}
