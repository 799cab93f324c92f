package dev.pipeline.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Files cut into ranges of any size give the same output: an entry and its continuation lines
 * are never split, every line is counted once, in order, with its own line number.
 */
@Timeout(30)
class ChunkingTest {
    @TempDir Path dir;

    @AfterEach
    void resetRangeSize() {
        System.clearProperty("pipeline.logs.rangeBytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 333, 4096})
    void anyRangeSizeGivesTheOutputOfOneRange(int rangeBytes) throws Exception {
        Path log4j = Runs.fixture(dir, "app-log4j.log");
        Path hdfs = Runs.fixture(dir, "hdfs-datanode.log");
        Path apt = Runs.fixture(dir, "history.log");
        Path auth = Runs.fixture(dir, "auth.log");
        String[] args = {
            "--min-level",
            "WARN",
            "--year",
            "2024",
            "--zone",
            "UTC",
            "--workers",
            "3",
            log4j.toString(),
            hdfs.toString(),
            apt.toString(),
            auth.toString()
        };
        Runs.Run whole = Runs.aggregate(dir.resolve("whole"), args);
        System.setProperty("pipeline.logs.rangeBytes", Integer.toString(rangeBytes));
        Runs.Run cut = Runs.aggregate(dir.resolve("cut"), args);

        assertThat(cut.addsUp()).isTrue();
        for (int i = 0; i < 4; i++) {
            Input a = whole.input(i);
            Input b = cut.input(i);
            assertThat(new long[] {b.lines, b.written, b.filtered, b.deadLettered})
                    .containsExactly(a.lines, a.written, a.filtered, a.deadLettered);
            assertThat(b.entriesByLevel).containsExactly(a.entriesByLevel);
        }
        // chunks of different files interleave, but each file's entries keep their order
        assertThat(sorted(cut.output())).isEqualTo(sorted(whole.output()));
        assertThat(cut.output()).containsSubsequence(whole.output().subList(0, 9));
        assertThat(cut.deadLetters()).containsExactlyInAnyOrderElementsOf(whole.deadLetters());
    }

    @Test
    void aLongStackTraceAcrossManyRangesStaysWithItsEntry() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("2024-03-01 09:00:00,000 ERROR [main] a.B: boom\n");
        sb.append("java.lang.IllegalStateException: deep\n");
        for (int i = 0; i < 2000; i++) {
            sb.append("\tat a.B.m").append(i).append("(B.java:").append(i).append(")\n");
        }
        sb.append("2024-03-01 09:00:01,000 INFO [main] a.B: after\n");
        Path f = Files.writeString(dir.resolve("trace.log"), sb);
        System.setProperty("pipeline.logs.rangeBytes", "1000");
        Runs.Run run =
                Runs.aggregate(
                        dir.resolve("out"), "--min-level", "ERROR", "--zone", "UTC", f.toString());
        assertThat(run.input(0).lines).isEqualTo(2003);
        assertThat(run.input(0).written).isEqualTo(2002);
        assertThat(run.input(0).filtered).isEqualTo(1);
        List<String> out = run.output();
        assertThat(out).hasSize(2002);
        assertThat(out.get(0)).isEqualTo("2024-03-01T09:00:00Z ERROR [a.B] boom");
        assertThat(out.get(2001)).isEqualTo("\t\tat a.B.m1999(B.java:1999)");
    }

    @Test
    void deadLettersKeepTheirLineNumbersAcrossRanges() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            sb.append(i % 50 == 0 ? "garbage " + i : "2024-03-01 09:00:00,000 INFO [m] a.B: " + i)
                    .append('\n');
        }
        Path f = Files.writeString(dir.resolve("g.log"), sb);
        System.setProperty("pipeline.logs.rangeBytes", "300");
        Runs.Run run = Runs.aggregate(dir.resolve("out"), "--zone", "UTC", f.toString());
        assertThat(run.deadLetters()).hasSize(10);
        for (int k = 1; k <= 10; k++) {
            assertThat(run.deadLetters().get(k - 1))
                    .startsWith(f + ":" + (50 * k) + "\t")
                    .endsWith("\tgarbage " + (50 * k));
        }
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }
}
