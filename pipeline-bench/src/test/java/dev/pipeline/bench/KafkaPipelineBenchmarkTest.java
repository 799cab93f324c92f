package dev.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The quick mode of {@link KafkaPipelineBenchmark}: both implementations once, in this JVM (no
 * fork, no warm-up, one short iteration), on {@value #RECORDS} / {@value #SCALE} records, each
 * against its own in-process broker. It proves that both run and their checksums (every output
 * acknowledged) hold; the scores are meaningless and not asserted beyond being positive.
 */
class KafkaPipelineBenchmarkTest {

    static final int SCALE = 100;
    static final int RECORDS = KafkaPipelineBenchmark.RECORDS;

    private String previousScale;

    @BeforeEach
    void quickMode() {
        previousScale = System.getProperty("pipeline.bench.scale");
        System.setProperty("pipeline.bench.scale", Integer.toString(SCALE));
    }

    @AfterEach
    void restore() {
        if (previousScale == null) {
            System.clearProperty("pipeline.bench.scale");
        } else {
            System.setProperty("pipeline.bench.scale", previousScale);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void bothImplementationsConsumeMapAndProduceEveryRecord() throws Exception {
        Collection<RunResult> results =
                new Runner(
                                new OptionsBuilder()
                                        .include(
                                                "^"
                                                        + Pattern.quote(
                                                                KafkaPipelineBenchmark.class
                                                                        .getName())
                                                        + "\\.")
                                        .forks(0)
                                        .warmupIterations(0)
                                        .measurementIterations(1)
                                        .measurementTime(TimeValue.milliseconds(100))
                                        .timeout(TimeValue.seconds(60))
                                        .shouldFailOnError(true)
                                        .verbosity(VerboseMode.SILENT)
                                        .build())
                        .run();

        assertThat(results).hasSize(2);
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore()).as("%s", r.getParams()).isPositive();
        }
    }
}
