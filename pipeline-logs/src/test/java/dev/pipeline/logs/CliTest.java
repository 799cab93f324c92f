package dev.pipeline.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The command line: one test per exit status, in this JVM and in a child JVM. */
@Timeout(60)
class CliTest {
    @TempDir Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            status = LogAggregator.run(po, pe, args);
        }
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void status0WhenEveryInputIsRead() throws Exception {
        Path f = Runs.fixture(dir, "dpkg.log");
        assertThat(run("--out", dir.resolve("out").toString(), f.toString())).isZero();
        assertThat(err).isEmpty();
        assertThat(out)
                .contains("read 26 = written 26 + filtered (below INFO) 0 + dead-lettered 0");
    }

    @Test
    void status1WhenAnInputIsMissingOrUnreadableAndTheOthersAreStillRead() throws Exception {
        Path f = Runs.fixture(dir, "dpkg.log");
        Path missing = dir.resolve("missing.log");
        Path folder = Files.createDirectory(dir.resolve("a-folder"));
        int status =
                run(
                        "--out",
                        dir.resolve("out").toString(),
                        missing.toString(),
                        f.toString(),
                        folder.toString());
        assertThat(status).isEqualTo(1);
        assertThat(out)
                .contains("FAILED " + missing + ": no such file")
                .contains("FAILED " + folder + ": is a directory")
                .contains("read 26 = written 26");
        assertThat(Files.readAllLines(dir.resolve("out").resolve(Aggregation.OUTPUT_FILE)))
                .hasSize(26);
    }

    @Test
    void status1WhenTheOutputCannotBeWritten() throws Exception {
        Path f = Runs.fixture(dir, "dpkg.log");
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        assertThat(run("--out", notAFolder.toString(), f.toString())).isEqualTo(1);
        assertThat(err)
                .startsWith("log-aggregator: cannot write the output")
                .doesNotContain("\tat ");
        assertThat(err.lines().count()).isEqualTo(1);
    }

    @Test
    void status2ForAUsageErrorWithOneLineAndTheUsageAndNothingOpened() throws Exception {
        Path outDir = dir.resolve("never-created");
        String[][] bad = {
            {"--out", "--min-level", "WARN", "x.log"},
            {"--min-level", "LOUD", "--out", outDir.toString()},
            {"--bogus", "--out", outDir.toString()},
            {"--out", outDir.toString(), "--batch", "0"},
            {"--out", outDir.toString(), "--zone", "Mars/Olympus"},
            {"--out", outDir.toString(), "--format", "xml"},
            {"--out", outDir.toString(), "--follow"},
            {"--out", outDir.toString(), "--max-wait", "soon"},
            {"--out", outDir.toString(), "--year"},
            {"--out", outDir.toString(), "--out", outDir.toString()}
        };
        List<String> firstLines = new ArrayList<>();
        for (String[] args : bad) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err).startsWith("log-aggregator: ").contains("Usage: log-aggregator");
            assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(out).isEmpty();
            firstLines.add(err.lines().findFirst().orElseThrow());
        }
        assertThat(outDir).doesNotExist();
        assertThat(firstLines)
                .contains(
                        "log-aggregator: --out needs a value, not the option --min-level",
                        "log-aggregator: --min-level must be one of TRACE DEBUG INFO WARN ERROR"
                                + " FATAL, not LOUD",
                        "log-aggregator: unknown option --bogus",
                        "log-aggregator: --follow needs files to follow");
    }

    @Test
    void kafkaOptionErrorsAreStatus2WithOneLineAndTheUsage() {
        String[][] bad = {
            {"--from-kafka", "logs"},
            {"--group", "g"},
            {"--from-kafka", "logs", "--group", "g", "app.log"},
            {"--from-kafka", "logs", "--group", "g", "--follow"},
            {"--from-kafka", "logs", "--group", "g", "--bootstrap", "no-port"},
            {"--from-kafka", "logs", "--group", "g", "--idle-exit", "never"},
            {"--from-kafka", "logs", "--group", "g", "--max-records", "0"},
            {"--idle-exit", "5s", "x.log"},
            {"--to-kafka", "out", "x.log"}
        };
        List<String> firstLines = new ArrayList<>();
        for (String[] args : bad) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err).startsWith("log-aggregator: ").contains("Usage: log-aggregator");
            assertThat(out).isEmpty();
            firstLines.add(err.lines().findFirst().orElseThrow());
        }
        assertThat(firstLines)
                .containsExactly(
                        "log-aggregator: --from-kafka needs --group G, the consumer group the run"
                                + " joins",
                        "log-aggregator: --group goes with --from-kafka TOPIC",
                        "log-aggregator: --from-kafka reads a topic, not files: give one or the"
                                + " other (app.log)",
                        "log-aggregator: --follow is for files; --from-kafka reads until it ends",
                        "log-aggregator: --bootstrap must be HOST:PORT[,HOST:PORT...], not no-port",
                        "log-aggregator: --idle-exit must be a positive duration like 200ms or 2s,"
                                + " not never",
                        "log-aggregator: --max-records must be at least 1, not 0",
                        "log-aggregator: --idle-exit goes with --from-kafka TOPIC",
                        "log-aggregator: --to-kafka goes with --from-kafka TOPIC");
    }

    @Test
    void aFileRunLoadsNoKafkaClass() throws Exception {
        Runs.fixture(dir, "app-log4j.log");
        Path log = dir.resolve("child.txt");
        Process p = start(dir, log, List.of("-verbose:class"), "--out", "out", "app-log4j.log");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(log);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).contains("dev.pipeline.logs.ChunkParser").contains("(adds up)");
        assertThat(printed.lines().filter(l -> l.contains("[class,load]")))
                .noneMatch(l -> l.contains("org.apache.kafka"))
                .noneMatch(l -> l.contains("dev.pipeline.kafka"))
                .noneMatch(l -> l.contains("KafkaMode"));
    }

    @Test
    void helpIsStatus0() {
        assertThat(run("--help")).isZero();
        assertThat(out).contains("Usage: log-aggregator", "--follow", "Exit status");
    }

    @Test
    void theGeneratedRunAddsUpIsDeterministicAndCleansItsTemporaryFolder() throws Exception {
        String tmp = System.getProperty("java.io.tmpdir");
        long before = countTempFolders(tmp);
        assertThat(run("--sources", "3", "--lines", "4000", "--seed", "7")).isZero();
        String first = out;
        assertThat(first)
                .contains("read 12,000 = written ")
                .contains("(adds up)")
                .contains("No --out given: the output went to ")
                .contains(", deleted now");
        assertThat(countTempFolders(tmp)).isEqualTo(before);
        assertThat(run("--sources", "3", "--lines", "4000", "--seed", "7")).isZero();
        assertThat(totalsLine(out)).isEqualTo(totalsLine(first));
    }

    private static String totalsLine(String printed) {
        return printed.lines().filter(l -> l.startsWith("read ")).findFirst().orElseThrow();
    }

    private static long countTempFolders(String tmp) throws IOException {
        try (var s = Files.list(Path.of(tmp))) {
            return s.filter(p -> p.getFileName().toString().startsWith("log-aggregator-")).count();
        }
    }

    /** A child JVM running {@link LogAggregator#main} in {@code workDir}. */
    private static Process start(Path workDir, Path log, String... args) throws IOException {
        return start(workDir, log, List.of(), args);
    }

    private static Process start(Path workDir, Path log, List<String> jvm, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LogAggregator.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Test
    void aChildJvmResolvesRelativePathsInItsDirectoryAndExitsWithTheStatus() throws Exception {
        Runs.fixture(dir, "dpkg.log");
        Path log = dir.resolve("child.txt");
        Process p = start(dir, log, "--out", "out", "dpkg.log", "missing.log");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("out").resolve(Aggregation.OUTPUT_FILE)))
                .hasSize(26);
        assertThat(Files.readString(log)).contains("FAILED missing.log: no such file");
    }

    @Test
    void sigtermWhileFollowingFlushesPrintsTheReportAndExits0() throws Exception {
        Path f =
                Files.writeString(
                        dir.resolve("app.log"), "2024-03-01 09:00:00,000 WARN [m] a.B: 1\n");
        Path log = dir.resolve("child.txt");
        Process p =
                start(
                        dir,
                        log,
                        "--follow",
                        "--out",
                        "out",
                        "--batch",
                        "1000000",
                        "--max-wait",
                        "60s",
                        "app.log");
        Path output = dir.resolve("out").resolve(Aggregation.OUTPUT_FILE);
        while (!Files.exists(output) || Files.size(output) == 0) {
            assertThat(p.isAlive()).isTrue();
            Thread.sleep(50);
        }
        Files.writeString(
                f,
                "2024-03-01 09:00:01,000 ERROR [m] a.B: 2\n",
                java.nio.file.StandardOpenOption.APPEND);
        while (Files.readAllLines(output).size() < 2) {
            Thread.sleep(50);
        }
        p.destroy(); // SIGTERM, as Ctrl-C's SIGINT, runs the shutdown hook
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(log);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed)
                .contains(
                        "read 2 = written 2 + filtered (below INFO) 0 + dead-lettered 0  (adds"
                                + " up)");
        assertThat(Files.readAllLines(output)).hasSize(2);
    }
}
