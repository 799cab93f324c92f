package dev.pipeline.logs;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command line, checked as a whole before anything is opened: a bad value, an unknown option,
 * an option without its value (the next option is never taken as one) is a {@link
 * UsageException}.
 *
 * @param files the inputs as given; none: generated sources
 * @param out the output folder, or {@code null}: a temporary one, deleted at the end
 * @param minLevel entries below it are filtered
 * @param defaultLevel the level of an entry that names none
 * @param json {@code --format json}
 * @param batch lines written between two forces to disk
 * @param maxWait the longest a written line waits for its force
 * @param follow {@code --follow}
 * @param year the year of timestamps without one, or 0: each file's modification year
 * @param zone the zone of timestamps without one, or {@code null}: the system's, looked up only
 *     when a timestamp needs it ({@link Timestamps.LazyZone})
 * @param workers parse workers
 * @param sources generated sources
 * @param lines lines per generated source
 * @param seed the generator's seed
 * @param help {@code --help}
 * @param kafka {@code --from-kafka} and the options that go with it, or {@code null}: files
 */
record Options(
        List<String> files,
        Path out,
        Level minLevel,
        Level defaultLevel,
        boolean json,
        int batch,
        Duration maxWait,
        boolean follow,
        int year,
        ZoneId zone,
        int workers,
        int sources,
        long lines,
        long seed,
        boolean help,
        Kafka kafka) {

    /**
     * The Kafka mode's options (plain values: no class of kafka-clients is loaded to hold them).
     *
     * @param topic {@code --from-kafka}: the topic whose records are log lines
     * @param group {@code --group}: the consumer group this run joins
     * @param bootstrap {@code --bootstrap}: {@code host:port[,host:port...]}
     * @param idleExit {@code --idle-exit}: end when no record came for this long, or {@code null}
     * @param maxRecords {@code --max-records}: end after this many records, or 0: no limit
     * @param toTopic {@code --to-kafka}: the topic the output lines also go to, or {@code null}
     */
    record Kafka(
            String topic,
            String group,
            String bootstrap,
            Duration idleExit,
            long maxRecords,
            String toTopic) {}

    /** The usage text (made when asked: it names the system zone and the processors). */
    static String usage() {
        return """
        Usage: log-aggregator [OPTIONS] [FILE...]
          Reads log files of any known format (detected per file), writes one normalised
          stream 'TIMESTAMP LEVEL [SOURCE] MESSAGE' and a dead-letter file of the lines no
          format reads. Without FILE, aggregates generated lines.
        Options:
          --out DIR             where aggregated.log and dead-letter.log go (default: a
                                temporary folder, deleted when the run ends)
          --min-level LEVEL     drop entries below LEVEL (default INFO); LEVEL is one of
                                TRACE DEBUG INFO WARN ERROR FATAL, or a synonym
          --default-level LEVEL the level of entries whose format has none (default INFO)
          --format text|json    the written form (default text)
          --follow              keep reading the files as they grow, like tail -F, until
                                Ctrl-C
          --batch N             force the output to disk every N lines (default 8192)
          --max-wait DURATION   ...or this long after a line is written (default 200ms;
                                e.g. 50ms, 2s; --max-wait-ms N is the same in ms)
          --year YYYY           the year of timestamps without one (default: the file's
                                modification year)
          --zone ZONE           the zone of timestamps without one (default: the system's,
                                %s)
          --workers N           parse workers (default: the number of processors, %d)
          --sources N --lines N --seed N
                                generated input: sources, lines each, seed (4, 50000, 42)
          --help                this text
        Kafka (instead of files; see docs/kafka-logs.md):
          --from-kafka TOPIC    read log lines from TOPIC (one entry per record, UTF-8)
          --group G             ...as a member of consumer group G (required with it)
          --bootstrap HOST:PORT the brokers (default 127.0.0.1:9092)
          --idle-exit DURATION  end when no record came for this long (e.g. 5s)
          --max-records N       end after N records
          --to-kafka TOPIC      also produce each entry's output lines to TOPIC (a record
                                counts as done once on disk and acknowledged there)
          Without --idle-exit or --max-records, runs until Ctrl-C; each way, the offsets
          of the records written are committed at the end.
        Exit status: 0 every input read; 1 an input missing or unreadable (the others are
        still read); 2 a usage error.
        """
                .formatted(ZoneId.systemDefault(), Runtime.getRuntime().availableProcessors());
    }

    private static final Set<String> FLAGS = Set.of("--follow", "--help");
    private static final Set<String> VALUED =
            Set.of(
                    "--out",
                    "--min-level",
                    "--default-level",
                    "--format",
                    "--batch",
                    "--max-wait",
                    "--max-wait-ms",
                    "--year",
                    "--zone",
                    "--workers",
                    "--sources",
                    "--lines",
                    "--seed",
                    "--from-kafka",
                    "--group",
                    "--bootstrap",
                    "--idle-exit",
                    "--max-records",
                    "--to-kafka");

    /** A command line that cannot run; the message is one line for the user. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses and checks a command line.
     *
     * @param args the arguments
     * @return the options
     * @throws UsageException naming the first problem
     */
    static Options parse(String... args) throws UsageException {
        List<String> files = new ArrayList<>();
        Map<String, String> opts = new HashMap<>();
        boolean onlyFiles = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (onlyFiles || !a.startsWith("-") || a.equals("-")) {
                files.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyFiles = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("-h")) {
                name = "--help";
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                value = "true";
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args[++i];
                    if (value.startsWith("--")) {
                        throw new UsageException(name + " needs a value, not the option " + value);
                    }
                }
                if (value.isEmpty()) {
                    throw new UsageException(name + " needs a value");
                }
            } else {
                throw new UsageException("unknown option " + a);
            }
            String canonical = name.equals("--max-wait-ms") ? "--max-wait" : name;
            if (opts.put(canonical, name.equals("--max-wait-ms") ? value + "ms" : value) != null) {
                throw new UsageException(name + " is given twice");
            }
        }
        boolean follow = opts.containsKey("--follow");
        Kafka kafka = kafka(opts, files, follow);
        if (follow && files.isEmpty()) {
            throw new UsageException("--follow needs files to follow");
        }
        String out = opts.get("--out");
        String format = opts.getOrDefault("--format", "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format must be text or json, not " + format);
        }
        return new Options(
                List.copyOf(files),
                out == null ? null : path("--out", out),
                level(opts, "--min-level", Level.INFO),
                level(opts, "--default-level", Level.INFO),
                format.equals("json"),
                (int) number(opts, "--batch", 8192, 1, Integer.MAX_VALUE),
                duration("--max-wait", opts.get("--max-wait"), Duration.ofMillis(200)),
                follow,
                (int) number(opts, "--year", 0, 1, 9999),
                zone(opts.get("--zone")),
                (int) number(opts, "--workers", Runtime.getRuntime().availableProcessors(), 1, 256),
                (int) number(opts, "--sources", 4, 1, 1000),
                number(opts, "--lines", 50_000, 0, Long.MAX_VALUE),
                number(opts, "--seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                opts.containsKey("--help"),
                kafka);
    }

    /** The Kafka options, checked; null without {@code --from-kafka}. */
    private static Kafka kafka(Map<String, String> opts, List<String> files, boolean follow)
            throws UsageException {
        String topic = opts.get("--from-kafka");
        if (topic == null) {
            for (String o :
                    List.of(
                            "--group",
                            "--bootstrap",
                            "--idle-exit",
                            "--max-records",
                            "--to-kafka")) {
                if (opts.containsKey(o)) {
                    throw new UsageException(o + " goes with --from-kafka TOPIC");
                }
            }
            return null;
        }
        String group = opts.get("--group");
        if (group == null) {
            throw new UsageException(
                    "--from-kafka needs --group G, the consumer group the run joins");
        }
        if (!files.isEmpty()) {
            throw new UsageException(
                    "--from-kafka reads a topic, not files: give one or the other ("
                            + files.get(0)
                            + ")");
        }
        if (follow) {
            throw new UsageException("--follow is for files; --from-kafka reads until it ends");
        }
        for (String o : List.of("--sources", "--lines", "--seed")) {
            if (opts.containsKey(o)) {
                throw new UsageException(o + " is for generated input, not --from-kafka");
            }
        }
        String bootstrap = opts.getOrDefault("--bootstrap", "127.0.0.1:9092");
        if (!bootstrap.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            throw new UsageException(
                    "--bootstrap must be HOST:PORT[,HOST:PORT...], not " + bootstrap);
        }
        return new Kafka(
                topic,
                group,
                bootstrap,
                opts.containsKey("--idle-exit")
                        ? duration("--idle-exit", opts.get("--idle-exit"), null)
                        : null,
                number(opts, "--max-records", 0, 1, Long.MAX_VALUE),
                opts.get("--to-kafka"));
    }

    private static Path path(String name, String value) throws UsageException {
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(name + " is not a valid path: " + value);
        }
    }

    private static Level level(Map<String, String> opts, String name, Level byDefault)
            throws UsageException {
        String value = opts.get(name);
        if (value == null) {
            return byDefault;
        }
        Level l = Level.parse(value);
        if (l == null) {
            throw new UsageException(
                    name + " must be one of TRACE DEBUG INFO WARN ERROR FATAL, not " + value);
        }
        return l;
    }

    private static long number(
            Map<String, String> opts, String name, long byDefault, long min, long max)
            throws UsageException {
        String value = opts.get(name);
        if (value == null) {
            return byDefault;
        }
        long n;
        try {
            n = Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, not " + value);
        }
        if (n < min || n > max) {
            throw new UsageException(
                    name
                            + " must be "
                            + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                                    ? "at least " + min
                                    : "from " + min + " to " + max)
                            + ", not "
                            + value);
        }
        return n;
    }

    private static Duration duration(String name, String value, Duration byDefault)
            throws UsageException {
        if (value == null) {
            return byDefault;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        long factor = 1;
        if (v.endsWith("ms")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
            factor = 1000;
        }
        try {
            long ms = Long.parseLong(v.trim()) * factor;
            if (ms >= 1) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UsageException(
                name + " must be a positive duration like 200ms or 2s, not " + value);
    }

    private static ZoneId zone(String value) throws UsageException {
        if (value == null) {
            return null;
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new UsageException(
                    "--zone must be a zone like UTC, +02:00 or Europe/Paris, not " + value);
        }
    }
}
