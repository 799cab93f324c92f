package dev.pipeline.logs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes sample log files to try the aggregator on and to measure it: the aggregator's own form
 * (what it generates when given no files), or a mix of the real formats it reads (log4j with
 * stack traces, Spark, HDFS, OpenStack, syslog RFC 3164 and 5424, logcat, Apache and nginx error
 * logs, dpkg, JSON lines). The same seed writes the same files.
 *
 * <pre>{@code
 * java -cp ... dev.pipeline.logs.SampleLogs own /tmp/own 1000000 4
 * java -cp ... dev.pipeline.logs.SampleLogs mix /tmp/mix 1000000
 * java -cp ... dev.pipeline.logs.SampleLogs train /tmp/samples
 * }</pre>
 *
 * <p>{@code train DIR} aggregates every file under {@code DIR} at {@code --min-level WARN} into
 * {@code DIR/out}, its report discarded, and exits with the run's status: the training run of
 * the aggregator's AOT cache (the build's {@code -Dlogs.aot} writes samples of both kinds and
 * trains on them; see {@code docs/log-aggregator.md}). It loads nothing of the writers here.
 */
public final class SampleLogs {
    private static final List<String> MIX =
            List.of(
                    "app-log4j.log",
                    "spark-executor.log",
                    "hdfs-datanode.log",
                    "nova-api.log",
                    "auth.log",
                    "rfc5424.log",
                    "logcat.txt",
                    "apache-error.log",
                    "nginx-error.log",
                    "dpkg.log",
                    "app.jsonl");

    private SampleLogs() {}

    /**
     * {@code own DIR LINES FILES} or {@code mix DIR LINES}: writes the files, prints their paths.
     *
     * @param args the kind, the folder, the total number of lines, and for {@code own} the
     *     number of files
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("train")) {
            System.exit(train(Path.of(args[1])));
        }
        if (args.length < 3 || !(args[0].equals("own") || args[0].equals("mix"))) {
            System.err.println(
                    "Usage: SampleLogs own DIR LINES FILES | SampleLogs mix DIR LINES"
                            + " | SampleLogs train DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        long lines = Long.parseLong(args[2].replace("_", ""));
        List<Path> files =
                args[0].equals("own")
                        ? writeOwn(dir, lines, args.length > 3 ? Integer.parseInt(args[3]) : 4, 42)
                        : writeMix(dir, lines, 42);
        files.forEach(System.out::println);
    }

    /** Aggregates the files under {@code dir} into {@code dir/out}; the run's exit status. */
    private static int train(Path dir) throws IOException {
        Path out = dir.resolve("out");
        List<String> args =
                new ArrayList<>(List.of("--min-level", "WARN", "--out", out.toString()));
        try (var files = Files.walk(dir)) {
            files.filter(f -> Files.isRegularFile(f) && !f.startsWith(out))
                    .sorted()
                    .forEach(f -> args.add(f.toString()));
        }
        return LogAggregator.runInterruptibly(
                new PrintStream(OutputStream.nullOutputStream()),
                System.err,
                args.toArray(String[]::new));
    }

    /**
     * Writes {@code lines} lines of the aggregator's own form in {@code files} files, as its
     * generated run produces them (about one line in 500 malformed or a stack frame).
     *
     * @param dir the folder, created if needed
     * @param lines lines in all
     * @param files how many files
     * @param seed the seed
     * @return the files
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeOwn(Path dir, long lines, int files, long seed)
            throws IOException {
        Files.createDirectories(dir);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            LogGenerator gen = new LogGenerator(seed, i);
            Path p = dir.resolve(gen.source() + ".log");
            long n = lines / files + (i < lines % files ? 1 : 0);
            try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
                for (long k = 0; k < n; k++) {
                    w.write(gen.next());
                    w.write('\n');
                }
            }
            paths.add(p);
        }
        return paths;
    }

    /**
     * Writes about {@code lines} lines of real formats, one file per format.
     *
     * @param dir the folder, created if needed
     * @param lines lines in all (a stack trace's lines included)
     * @param seed the seed
     * @return the files
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeMix(Path dir, long lines, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Path> paths = new ArrayList<>();
        for (int f = 0; f < MIX.size(); f++) {
            Path p = dir.resolve(MIX.get(f));
            long n = lines / MIX.size() + (f < lines % MIX.size() ? 1 : 0);
            Mixer m = new Mixer(new SplittableRandom(seed * 31 + f));
            try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
                long written = 0;
                while (written < n) {
                    List<String> entry = m.entry(f, n - written);
                    for (String line : entry) {
                        w.write(line);
                        w.write('\n');
                    }
                    written += entry.size();
                }
            }
            paths.add(p);
        }
        return paths;
    }

    /** Lines of each real format, with a realistic spread of levels. */
    private static final class Mixer {
        private static final DateTimeFormatter MONTH_DAY =
                DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
        private static final DateTimeFormatter APACHE =
                DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ENGLISH);
        private final SplittableRandom random;
        private LocalDateTime t = LocalDateTime.of(2024, 3, 1, 0, 0);

        Mixer(SplittableRandom random) {
            this.random = random;
        }

        /** One entry (one line, or a line and its stack trace) of format {@code f}. */
        List<String> entry(int f, long room) {
            t = t.plusNanos((1 + random.nextInt(50)) * 1_000_000L);
            int roll = random.nextInt(100);
            String level = roll < 25 ? "DEBUG" : roll < 80 ? "INFO" : roll < 94 ? "WARN" : "ERROR";
            int id = random.nextInt(100_000);
            String ms = String.format(Locale.ROOT, "%03d", t.getNano() / 1_000_000);
            String date = t.toLocalDate().toString();
            String time = t.toLocalTime().withNano(0).toString();
            if (time.length() == 5) {
                time += ":00";
            }
            return switch (f) {
                case 0 -> {
                    List<String> l = new ArrayList<>();
                    l.add(
                            date
                                    + " "
                                    + time
                                    + ","
                                    + ms
                                    + " "
                                    + level
                                    + " [worker-"
                                    + id % 8
                                    + "] com.example.orders.OrderService: order "
                                    + id
                                    + " "
                                    + (level.equals("ERROR") ? "failed" : "processed"));
                    if (level.equals("ERROR") && room > 5) {
                        l.add("java.lang.IllegalStateException: order " + id + " is locked");
                        l.add(
                                "\tat com.example.orders.OrderService.process(OrderService.java:"
                                        + (40 + id % 60)
                                        + ")");
                        l.add("\tat com.example.orders.Worker.run(Worker.java:27)");
                        l.add("Caused by: java.sql.SQLException: lock wait timeout");
                        l.add("\t... 2 more");
                    }
                    yield l;
                }
                case 1 ->
                        List.of(
                                String.format(
                                        Locale.ROOT,
                                        "%02d/%02d/%02d %s %s %s: %s",
                                        t.getYear() % 100,
                                        t.getMonthValue(),
                                        t.getDayOfMonth(),
                                        time,
                                        level,
                                        "executor.CoarseGrainedExecutorBackend",
                                        "Got assigned task " + id));
                case 2 ->
                        List.of(
                                String.format(
                                        Locale.ROOT,
                                        "%02d%02d%02d %s %d %s %s: %s",
                                        t.getYear() % 100,
                                        t.getMonthValue(),
                                        t.getDayOfMonth(),
                                        time.replace(":", ""),
                                        100 + id % 900,
                                        level,
                                        "dfs.DataNode$PacketResponder",
                                        "PacketResponder 1 for block blk_" + id + " terminating"));
                case 3 ->
                        List.of(
                                date
                                        + " "
                                        + time
                                        + "."
                                        + ms
                                        + " "
                                        + (25000 + id % 999)
                                        + " "
                                        + level
                                        + " nova.osapi_compute.wsgi.server [req-"
                                        + id
                                        + " 113d3a99c3da401fbd62cc2caa5b96d2 - - -] 10.11.10.1"
                                        + " \"GET /v2/servers/detail HTTP/1.1\" status: 200 len:"
                                        + " 1893 time: 0.26");
                case 4 ->
                        List.of(
                                MONTH_DAY.format(t)
                                        + " web-01 sshd["
                                        + (1000 + id % 30000)
                                        + "]: "
                                        + (level.equals("ERROR")
                                                ? "error: PAM: Authentication failure"
                                                        + " for root from 10.0.0."
                                                        + id % 255
                                                : level.equals("WARN")
                                                        ? "warning: connection reset by 10.0.0."
                                                                + id % 255
                                                        : "Accepted publickey for deploy from"
                                                                + " 10.0.0."
                                                                + id % 255
                                                                + " port 52144 ssh2"));
                case 5 ->
                        List.of(
                                "<"
                                        + (8 + syslogSeverity(level))
                                        + ">1 "
                                        + date
                                        + "T"
                                        + time
                                        + "."
                                        + ms
                                        + "Z host-7 billing "
                                        + id % 999
                                        + " ID47 [meta seq=\""
                                        + id
                                        + "\"] invoice "
                                        + id
                                        + " sent");
                case 6 ->
                        List.of(
                                String.format(
                                        Locale.ROOT,
                                        "%02d-%02d %s.%s %5d %5d %s %s: %s",
                                        t.getMonthValue(),
                                        t.getDayOfMonth(),
                                        time,
                                        ms,
                                        1702,
                                        2395 + id % 40,
                                        level.substring(0, 1),
                                        "WindowManager",
                                        "Relayout Window{"
                                                + Integer.toHexString(id)
                                                + "} visible"));
                case 7 ->
                        List.of(
                                "["
                                        + APACHE.format(t)
                                        + "] ["
                                        + apacheLevel(level)
                                        + "] [client 10.0.0."
                                        + id % 255
                                        + "] File does not exist:"
                                        + " /var/www/html/item"
                                        + id);
                case 8 ->
                        List.of(
                                date.replace('-', '/')
                                        + " "
                                        + time
                                        + " ["
                                        + apacheLevel(level)
                                        + "] 11041#0: *"
                                        + id
                                        + " open() \"/usr/share/nginx/html/x"
                                        + id
                                        + "\" failed (2: No such file or directory)");
                case 9 ->
                        List.of(
                                date
                                        + " "
                                        + time
                                        + " status installed libfoo"
                                        + id % 300
                                        + ":amd64 1."
                                        + id % 10);
                default ->
                        List.of(
                                "{\"timestamp\":\""
                                        + Instant.from(t.atOffset(ZoneOffset.UTC))
                                        + "\",\"level\":\""
                                        + level.toLowerCase(Locale.ROOT)
                                        + "\",\"logger\":\"api.http\",\"message\":\"GET /items/"
                                        + id
                                        + " took "
                                        + id % 500
                                        + " ms\",\"trace\":{\"id\":"
                                        + id
                                        + "}}");
            };
        }

        private static int syslogSeverity(String level) {
            return switch (level) {
                case "DEBUG" -> 7;
                case "INFO" -> 6;
                case "WARN" -> 4;
                default -> 3;
            };
        }

        private static String apacheLevel(String level) {
            return switch (level) {
                case "WARN" -> "warn";
                case "ERROR" -> "error";
                case "DEBUG" -> "debug";
                default -> "notice";
            };
        }
    }
}
