package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link OutOfMemoryError} in a stage, with the heap still full while the run tears down
 * (issue 12, item 5): the run must end as failed with the OutOfMemoryError, naming a stage, with no thread left, even
 * though every allocation in the teardown can fail again. It runs in a child JVM with a small heap,
 * so that filling the heap is quick and cannot hurt the other tests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OutOfMemoryTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"map", "mapParallel", "forEach", "source"})
    void aRunWhoseStageRunsOutOfMemoryEndsAndNamesTheStage(String shape) throws Exception {
        String java =
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx48m");
        cmd.add("-XX:-UseCompressedOops");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(OutOfMemoryProbe.class.getName());
        cmd.add(shape);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("child ended; output:%n%s", out).isTrue();
        // the run failed with the OutOfMemoryError, naming a stage of the run (the hog, or a
        // stage whose own allocation failed first while the heap was full)
        assertThat(out)
                .as("child output")
                .containsPattern("ENDED stage=\\S+" + " cause=OutOfMemoryError");
        assertThat(out).contains("THREADS LEFT 0");
        assertThat(p.exitValue()).as("child output:%n%s", out).isZero();
    }
}
