package dev.pipeline.bench;

import dev.pipeline.logs.LogAggregator;
import dev.pipeline.logs.SampleLogs;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The log aggregator on 1,000,000 lines at {@code --min-level WARN}, time per run, beside its
 * baseline in the same run: {@code aggregator} is {@code LogAggregator.run} (detection, parsing,
 * timestamps normalised, multi-line entries, dead letters, the output forced to disk), {@code
 * baseline} the Java form of a one-line awk level filter (one thread reads each file line by line,
 * keeps a line whose level field is WARN or above, writes it, forces the output once at the end).
 * {@code own}: 4 files of the aggregator's own form; {@code mix}: 11 files of real formats
 * ({@link SampleLogs}). The JVM is warm here; the cold start a user sees (JVM start-up included) is
 * measured by {@code pipeline-bench/scripts/awk-compare.sh} beside awk itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LogAggregatorBenchmark {

    /** Lines per run (divided by the quick mode's scale). */
    static final int LINES = 1_000_000;

    private static final Set<String> KEPT =
            Set.of(
                    "WARN",
                    "WARNING",
                    "NOTICE",
                    "ERROR",
                    "ERR",
                    "SEVERE",
                    "FATAL",
                    "CRITICAL",
                    "CRIT",
                    "EMERG",
                    "ALERT",
                    "W",
                    "E",
                    "F");

    @Param({"aggregator", "baseline"})
    String impl;

    @Param({"own", "mix"})
    String input;

    private Path dir;
    private List<Path> files;
    private long lines;

    /** Writes the input files and counts their lines. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        int n = Bench.items(LINES);
        dir = Files.createTempDirectory("log-aggregator-bench-");
        files =
                input.equals("own")
                        ? SampleLogs.writeOwn(dir.resolve("in"), n, 4, 42)
                        : SampleLogs.writeMix(dir.resolve("in"), n, 42);
        lines = 0;
        for (Path f : files) {
            try (Stream<String> s = Files.lines(f)) {
                lines += s.count();
            }
        }
    }

    /** Deletes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One run over every file; returns the lines read, checked against the files. */
    @Benchmark
    public long run() throws IOException {
        long read =
                switch (impl) {
                    case "aggregator" -> aggregator();
                    case "baseline" -> baseline();
                    default -> throw new IllegalArgumentException(impl);
                };
        return Bench.check(impl + " " + input, lines, read);
    }

    private long aggregator() {
        List<String> args = new ArrayList<>(List.of("--min-level", "WARN", "--zone", "UTC"));
        args.add("--out");
        args.add(dir.resolve("out").toString());
        files.forEach(f -> args.add(f.toString()));
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);
                PrintStream err = new PrintStream(OutputStream.nullOutputStream())) {
            status = LogAggregator.run(out, err, args.toArray(String[]::new));
        }
        if (status != 0) {
            throw new IllegalStateException("status " + status);
        }
        // "read 1,000,000 = written ..."
        String line =
                report.toString(StandardCharsets.UTF_8)
                        .lines()
                        .filter(l -> l.startsWith("read "))
                        .findFirst()
                        .orElseThrow();
        return Long.parseLong(line.substring(5, line.indexOf(' ', 5)).replace(",", ""));
    }

    private long baseline() throws IOException {
        Path out = dir.resolve("baseline.log");
        long read = 0;
        try (FileChannel ch =
                        FileChannel.open(
                                out,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING);
                BufferedWriter w =
                        new BufferedWriter(
                                new java.io.OutputStreamWriter(
                                        java.nio.channels.Channels.newOutputStream(ch),
                                        StandardCharsets.UTF_8),
                                1 << 16)) {
            for (Path f : files) {
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        read++;
                        if (kept(l)) {
                            w.write(l);
                            w.write('\n');
                        }
                    }
                }
            }
            w.flush();
            ch.force(false);
        }
        return read;
    }

    /** The awk filter: a level word among the first fields ({@code $2} for the own form). */
    private boolean kept(String line) {
        int fields = input.equals("own") ? 2 : 6;
        int i = 0;
        for (int field = 1; field <= fields && i < line.length(); field++) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ') {
                i++;
            }
            if (field == 2 || fields == 6) {
                String w =
                        line.substring(start, i)
                                .replace("[", "")
                                .replace("]", "")
                                .replace(":", "")
                                .toUpperCase(Locale.ROOT);
                if (KEPT.contains(w)) {
                    return true;
                }
            }
        }
        return false;
    }
}
