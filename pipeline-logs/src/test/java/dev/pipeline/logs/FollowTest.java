package dev.pipeline.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** {@code --follow}: appends, a rotation and a truncation while it runs; then stopped. */
@Timeout(30)
class FollowTest {
    @TempDir Path dir;

    private static void append(Path f, String text) throws IOException {
        Files.writeString(
                f,
                text,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Runs the aggregator on a thread of its own until {@code stop}; its result or failure. */
    private static Thread start(
            Path out,
            AtomicBoolean stop,
            AtomicReference<Runs.Run> result,
            AtomicReference<Throwable> failure,
            String... args) {
        return Thread.ofPlatform()
                .start(
                        () -> {
                            try {
                                result.set(Runs.aggregate(out, stop, args));
                            } catch (Throwable t) {
                                failure.set(t);
                            }
                        });
    }

    /** Waits until the output holds {@code n} lines (a hang fails the test by its timeout). */
    private static List<String> awaitOutput(Path out, int n) throws Exception {
        Path file = out.resolve(Aggregation.OUTPUT_FILE);
        while (true) {
            try {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= n) {
                    return lines;
                }
            } catch (NoSuchFileException e) {
                // not created yet
            }
            Thread.sleep(20);
        }
    }

    @Test
    void followsAppendsRotationAndTruncationAndStopsWithEveryLineAccountedFor() throws Exception {
        Path log = dir.resolve("app.log");
        Path out = dir.resolve("out");
        append(
                log,
                "2024-03-01 09:00:00,000 INFO [m] a.B: one\n"
                        + "2024-03-01 09:00:01,000 DEBUG [m] a.B: two, filtered\n");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Runs.Run> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner =
                start(
                        out,
                        stop,
                        result,
                        failure,
                        "--follow",
                        "--zone",
                        "UTC",
                        "--max-wait-ms",
                        "20",
                        log.toString());
        try {
            awaitOutput(out, 1);
            // an entry and its stack trace, written in one go
            append(
                    log,
                    "2024-03-01 09:00:02,000 ERROR [m] a.B: three\n"
                            + "java.lang.IllegalStateException: boom\n"
                            + "\tat a.B.run(B.java:1)\n");
            awaitOutput(out, 4);
            // rotation: the old file's last line, then a rename, then a new file
            append(log, "2024-03-01 09:00:03,000 WARN [m] a.B: four, last of the old file\n");
            Files.move(log, dir.resolve("app.log.1"));
            append(
                    log,
                    "2024-03-01 09:00:04,000 INFO [m] a.B: five, first of the new file\n"
                            + "not a log line\n");
            awaitOutput(out, 6);
            // truncation: shorter than what was read, then one more line
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, "2024-03-01 09:00:05,000 INFO [m] a.B: six\n");
            awaitOutput(out, 7);
            // a last line with no line feed yet: read, so written when stopped
            append(log, "2024-03-01 09:00:06,000 INFO [m] a.B: seven, no line feed");
            Thread.sleep(200); // long enough to be read (polls every 50 ms); not yet a line
        } finally {
            stop.set(true);
            runner.join();
        }
        assertThat(failure.get()).isNull();
        Runs.Run run = result.get();
        Input in = run.input(0);
        assertThat(in.rotations).isEqualTo(1);
        assertThat(in.truncations).isEqualTo(1);
        assertThat(in.lines).isEqualTo(10);
        assertThat(run.addsUp()).isTrue();
        assertThat(new long[] {in.written, in.filtered, in.deadLettered}).containsExactly(8, 1, 1);
        assertThat(run.output())
                .containsExactly(
                        "2024-03-01T09:00:00Z INFO [a.B] one",
                        "2024-03-01T09:00:02Z ERROR [a.B] three",
                        "\tjava.lang.IllegalStateException: boom",
                        "\t\tat a.B.run(B.java:1)",
                        "2024-03-01T09:00:03Z WARN [a.B] four, last of the old file",
                        "2024-03-01T09:00:04Z INFO [a.B] five, first of the new file",
                        "2024-03-01T09:00:05Z INFO [a.B] six",
                        "2024-03-01T09:00:06Z INFO [a.B] seven, no line feed");
        // line numbers restart with the new file
        assertThat(run.deadLetters())
                .containsExactly(
                        log
                                + ":2\tnot log4j: no 'yyyy-MM-dd HH:mm:ss,SSS' timestamp\tnot a log"
                                + " line");
        assertThat(run.printed()).contains("rotated 1 time", "truncated 1 time", "(adds up)");
    }

    @Test
    void aFileMissingWhenFollowingStartsIsAFailedInput() throws Exception {
        Path present =
                Files.writeString(
                        dir.resolve("a.log"), "2024-03-01 09:00:00,000 INFO [m] a.B: x\n");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Runs.Run> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner =
                start(
                        dir.resolve("out"),
                        stop,
                        result,
                        failure,
                        "--follow",
                        dir.resolve("missing.log").toString(),
                        present.toString());
        awaitOutput(dir.resolve("out"), 1);
        stop.set(true);
        runner.join();
        assertThat(failure.get()).isNull();
        assertThat(result.get().input(0).failure).isEqualTo("no such file");
        assertThat(result.get().input(1).written).isEqualTo(1);
        assertThat(result.get().result().failed()).isTrue();
    }
}
