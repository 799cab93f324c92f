package dev.pipeline.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.examples.LogAggregator.Options;
import dev.pipeline.examples.LogAggregator.Totals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

@Timeout(20)
class LogAggregatorTest {

    @TempDir Path dir;

    private String printed;

    private Totals aggregate(String... args) throws Exception {
        return aggregate(new AtomicBoolean(), args);
    }

    private Totals aggregate(AtomicBoolean stop, String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Totals totals;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            totals = LogAggregator.aggregate(Options.parse(args), out, stop);
        }
        printed = buf.toString(StandardCharsets.UTF_8);
        return totals;
    }

    private Path write(String name, String... lines) throws Exception {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void keepsGoodLinesFiltersByLevelDeadLettersMalformedOnesAndSurvivesAMissingFile()
            throws Exception {
        Path a =
                write(
                        "a.log",
                        "2026-01-01T00:00:01Z WARN [web] slow request",
                        "2026-01-01T00:00:02Z INFO [web] GET / 200",
                        "2026-01-01T00:00:03Z NOTICE [web] odd",
                        "2026-01-01T00:00:04Z ERROR [web] crashed");
        Path b =
                write(
                        "b.log",
                        "2026-01-01T00:00:05Z DEBUG [db] query",
                        "not a log line",
                        "",
                        "2026-01-01T00:00:06Z WARN [db] pool low");
        Path missing = dir.resolve("missing.log");
        Path out = dir.resolve("out");

        // a batch far larger than the input and a long wait: only shutdown can flush the batch
        Totals totals =
                aggregate(
                        "--min-level",
                        "WARN",
                        "--out",
                        out.toString(),
                        "--batch",
                        "100",
                        "--max-wait-ms",
                        "60000",
                        a.toString(),
                        missing.toString(),
                        b.toString());

        assertThat(Files.readAllLines(out.resolve(LogAggregator.OUTPUT_FILE)))
                .containsExactlyInAnyOrder(
                        "2026-01-01T00:00:01Z WARN [web] slow request",
                        "2026-01-01T00:00:04Z ERROR [web] crashed",
                        "2026-01-01T00:00:06Z WARN [db] pool low");
        assertThat(Files.readAllLines(out.resolve(LogAggregator.DEAD_LETTER_FILE)))
                .containsExactlyInAnyOrder(
                        a + ":3\tunknown level 'NOTICE'\t2026-01-01T00:00:03Z NOTICE [web] odd",
                        b + ":2\tbad timestamp 'not'\tnot a log line",
                        b + ":3\tblank line\t");
        assertThat(totals).isEqualTo(new Totals(8, 3, 2, 3, 1));
        assertThat(printed)
                .contains("ERROR cannot read " + missing + ": no such file (the other files go on)")
                .contains(
                        "read 8 = written 3 + filtered (below WARN) 2 + dead-lettered 3  (adds up)")
                .contains("parse", "write");
    }

    @Test
    void generatedRunAddsUpAndIsDeterministicForASeed() throws Exception {
        String[] args = {"--sources", "3", "--lines", "4000", "--seed", "7", "--batch", "250"};
        Path out1 = dir.resolve("1");
        Totals first = aggregate(concat(args, "--out", out1.toString()));
        String firstPrinted = printed;
        Totals second = aggregate(concat(args, "--out", dir.resolve("2").toString()));

        assertThat(first.read()).isEqualTo(12_000);
        assertThat(first.read())
                .isEqualTo(first.written() + first.filtered() + first.deadLettered());
        assertThat(first.deadLettered()).isPositive();
        assertThat(first.filtered()).isPositive();
        assertThat(second).isEqualTo(first);
        assertThat(Files.readAllLines(out1.resolve(LogAggregator.OUTPUT_FILE)))
                .hasSize((int) first.written());
        assertThat(Files.readAllLines(out1.resolve(LogAggregator.DEAD_LETTER_FILE)))
                .hasSize((int) first.deadLettered());
        assertThat(firstPrinted).contains("read 12000 = written ").contains("(adds up)");
    }

    @Test
    void stoppingWritesEveryLineAlreadyReadAndStillAddsUp() throws Exception {
        Path out = dir.resolve("out");
        AtomicBoolean stop = new AtomicBoolean();
        Thread stopper =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        Thread.sleep(500);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                    stop.set(true);
                                });
        // far more lines than can be read in 500 ms, and batches that only shutdown can flush
        Totals totals =
                aggregate(
                        stop,
                        "--lines",
                        "100000000",
                        "--batch",
                        "1000000",
                        "--max-wait-ms",
                        "60000",
                        "--out",
                        out.toString());
        stopper.join();

        assertThat(totals.read()).isPositive().isLessThan(400_000_000L);
        assertThat(totals.read())
                .isEqualTo(totals.written() + totals.filtered() + totals.deadLettered());
        assertThat(Files.readAllLines(out.resolve(LogAggregator.OUTPUT_FILE)))
                .hasSize((int) totals.written());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
