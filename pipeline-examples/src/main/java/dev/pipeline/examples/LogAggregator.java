package dev.pipeline.examples;

import dev.pipeline.DeadLetter;
import dev.pipeline.ErrorPolicy;
import dev.pipeline.Pipeline;
import dev.pipeline.PipelineRun;
import dev.pipeline.StageMetrics;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.examples.LogLine.Level;
import dev.pipeline.examples.LogLine.MalformedLineException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * log-aggregator: several producers read log files (or generate realistic lines), the lines are
 * parsed, filtered by level, batched by size or time, and one consumer appends each batch to a file
 * with an fsync. Malformed lines go to a dead-letter file with the reason; nothing is dropped
 * silently, and the totals at the end add up.
 *
 * <pre>
 * run log-aggregator [--min-level INFO] [--out DIR] [--batch 1000] [--max-wait-ms 200]
 *                    [--sources 4] [--lines 50000] [--seed 42] [FILE...]
 * </pre>
 */
final class LogAggregator {
    static final String DESCRIPTION =
            "producers read logs; parse, filter by level, batch, append with fsync; dead letters";

    /** The output file, in the output directory. */
    static final String OUTPUT_FILE = "aggregated.log";

    /**
     * The dead-letter file: one malformed line per line, {@code ORIGIN:LINE<tab>REASON<tab>TEXT},
     * where the origin is the file as given, or the generated source's name.
     */
    static final String DEAD_LETTER_FILE = "dead-letter.log";

    private LogAggregator() {}

    /** The command line. */
    record Options(
            List<Path> files,
            Level minLevel,
            Path outDir,
            int batchSize,
            Duration maxWait,
            int sources,
            long linesPerSource,
            long seed) {

        static Options parse(String... args) throws IOException {
            List<Path> files = new ArrayList<>();
            Map<String, String> opts = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    files.add(Path.of(args[i]));
                } else if (i + 1 < args.length) {
                    opts.put(args[i], args[++i]);
                } else {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
            }
            String out = opts.remove("--out");
            Options o =
                    new Options(
                            files,
                            level(take(opts, "--min-level", "INFO")),
                            out != null
                                    ? Path.of(out)
                                    : Files.createTempDirectory("log-aggregator-"),
                            (int) number(opts, "--batch", 1000),
                            Duration.ofMillis(number(opts, "--max-wait-ms", 200)),
                            (int) number(opts, "--sources", 4),
                            number(opts, "--lines", 50_000),
                            number(opts, "--seed", 42));
            if (!opts.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) " + opts.keySet());
            }
            return o;
        }

        private static Level level(String name) {
            try {
                return Level.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--min-level must be one of " + List.of(Level.values()) + ": " + name);
            }
        }

        private static long number(Map<String, String> opts, String name, long byDefault) {
            String value = take(opts, name, Long.toString(byDefault));
            try {
                return Long.parseLong(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number: " + value);
            }
        }

        private static String take(Map<String, String> opts, String name, String byDefault) {
            String value = opts.remove(name);
            return value != null ? value : byDefault;
        }
    }

    /** A line as read, with where it came from. */
    record RawLine(String origin, long number, String text) {}

    /** What happened to every line read; {@code read == written + filtered + deadLettered}. */
    record Totals(long read, long written, long filtered, long deadLettered, int unreadableFiles) {}

    static void run(PrintStream out, String... args) throws Exception {
        Options options = Options.parse(args);
        // Ctrl-C: the sources stop reading, and the lines already read (the last partial batch
        // too) are written before the JVM exits
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            out.println("Stopping: writing the lines already read...");
                            stop.set(true);
                            try {
                                finished.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            aggregate(options, out, stop);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and lets it go on now
            }
        }
    }

    /**
     * Runs the aggregator.
     *
     * @param options what to read and where to write
     * @param out where the progress, errors and totals are printed
     * @param stop when set, the sources stop reading; what was read is still written
     * @return what happened to every line read
     */
    static Totals aggregate(Options options, PrintStream out, AtomicBoolean stop) throws Exception {
        Files.createDirectories(options.outDir());
        Path output = options.outDir().resolve(OUTPUT_FILE);
        Path deadLetterFile = options.outDir().resolve(DEAD_LETTER_FILE);
        out.println("Writing " + output);
        out.println("Dead letters to " + deadLetterFile);

        LongAdder read = new LongAdder();
        LongAdder filtered = new LongAdder();
        LongAdder unreadable = new LongAdder();
        List<Pipeline<RawLine>> sources = sources(options, stop, read, unreadable, out);

        Channel<DeadLetter<RawLine>> deadLetters = Channel.bounded(256, "dead-letters");
        DeadLetterWriter deadLetterWriter =
                new DeadLetterWriter(deadLetterFile, deadLetters.receiver());
        Thread deadLetterThread =
                Thread.ofPlatform().name("dead-letter-writer").start(deadLetterWriter);

        long start = System.nanoTime();
        PipelineRun<Void> run;
        long written;
        try (Sender<DeadLetter<RawLine>> deadLetterSender = deadLetters.sender();
                BatchWriter writer = new BatchWriter(output)) {
            run =
                    Pipeline.merge(sources)
                            .map("parse", raw -> LogLine.parse(raw.text()))
                            .onError(ErrorPolicy.deadLetter(deadLetterSender))
                            .filter( // counted, so that the totals can add up
                                    "level >= " + options.minLevel(),
                                    line -> {
                                        boolean keep = line.level().atLeast(options.minLevel());
                                        if (!keep) {
                                            filtered.increment();
                                        }
                                        return keep;
                                    })
                            .batch(options.batchSize(), options.maxWait())
                            .map("write", writer::append)
                            .named("log-aggregator")
                            .start();
            // about once a second, a line of per-stage rates, while this thread waits for the end
            Progress progress = new Progress(out, run, writer);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleAtFixedRate(progress::print, 1, 1, TimeUnit.SECONDS);
            try {
                run.await();
            } finally {
                ticker.shutdownNow();
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            }
            written = writer.linesWritten();
        } finally {
            // every dead letter was sent: closing the sender ends the writer's loop
            deadLetterThread.join();
        }
        deadLetterWriter.rethrowFailure();

        Totals totals =
                new Totals(
                        read.sum(),
                        written,
                        filtered.sum(),
                        deadLetterWriter.count(),
                        unreadable.intValue());
        printTotals(out, totals, options, sources.size(), System.nanoTime() - start);
        out.println();
        out.println(run.metrics().report());
        return totals;
    }

    /** One source per file, or generated sources when no file is given. */
    private static List<Pipeline<RawLine>> sources(
            Options options,
            AtomicBoolean stop,
            LongAdder read,
            LongAdder unreadable,
            PrintStream out) {
        List<Pipeline<RawLine>> sources = new ArrayList<>();
        for (Path file : options.files()) {
            sources.add(
                    Pipeline.generate(
                            "read " + file.getFileName(),
                            tx -> readFile(file, tx, stop, read, unreadable, out)));
        }
        if (options.files().isEmpty()) {
            out.printf(
                    "No files given: %d generated sources x %,d lines (seed %d)%n",
                    options.sources(), options.linesPerSource(), options.seed());
            for (int i = 0; i < options.sources(); i++) {
                LogGenerator gen = new LogGenerator(options.seed(), i);
                sources.add(
                        Pipeline.generate(
                                "generate " + gen.source(),
                                tx -> {
                                    for (long n = 1;
                                            n <= options.linesPerSource() && !stop.get();
                                            n++) {
                                        read.increment();
                                        tx.send(new RawLine(gen.source(), n, gen.next()));
                                    }
                                }));
            }
        }
        return sources;
    }

    private static void printTotals(
            PrintStream out, Totals totals, Options options, int sources, long nanos) {
        out.printf(
                "%nDone in %.2f s: %,d lines read from %d source(s)%s%n",
                nanos / 1e9,
                totals.read(),
                sources,
                totals.unreadableFiles() > 0
                        ? ", " + totals.unreadableFiles() + " unreadable (see the errors above)"
                        : "");
        out.printf(
                "read %d = written %d + filtered (below %s) %d + dead-lettered %d  %s%n",
                totals.read(),
                totals.written(),
                options.minLevel(),
                totals.filtered(),
                totals.deadLettered(),
                totals.read() == totals.written() + totals.filtered() + totals.deadLettered()
                        ? "(adds up)"
                        : "(DOES NOT ADD UP)");
    }

    private static void readFile(
            Path file,
            Sender<RawLine> tx,
            AtomicBoolean stop,
            LongAdder read,
            LongAdder unreadable,
            PrintStream out)
            throws InterruptedException {
        String origin = file.toString();
        long n = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine();
                    text != null && !stop.get();
                    text = reader.readLine()) {
                read.increment();
                tx.send(new RawLine(origin, ++n, text));
            }
        } catch (IOException e) {
            unreadable.increment();
            out.println(
                    "ERROR cannot read "
                            + file
                            + (n > 0 ? " after line " + n : "")
                            + ": "
                            + describe(e)
                            + " (the other files go on)");
        }
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case MalformedInputException x -> "not UTF-8 text";
            default -> e.toString();
        };
    }

    /** The one consumer: appends each batch to the output file and forces it to disk. */
    private static final class BatchWriter implements AutoCloseable {
        private final FileChannel channel;
        private final LongAdder written = new LongAdder();

        BatchWriter(Path file) throws IOException {
            this.channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
        }

        /** Appends the batch, then forces it to disk; returns the number of lines. */
        int append(List<LogLine> batch) throws IOException {
            StringBuilder text = new StringBuilder(batch.size() * 80);
            for (LogLine line : batch) {
                text.append(line.format()).append('\n');
            }
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false); // the batch is on disk before the next one is taken
            written.add(batch.size());
            return batch.size();
        }

        long linesWritten() {
            return written.sum();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Writes each dead letter with its origin and reason; runs on its own thread. */
    private static final class DeadLetterWriter implements Runnable {
        private final Path file;
        private final Receiver<DeadLetter<RawLine>> in;
        private long count;
        private volatile IOException failure;

        DeadLetterWriter(Path file, Receiver<DeadLetter<RawLine>> in) {
            this.file = file;
            this.in = in;
        }

        @Override
        public void run() {
            try (in;
                    Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (DeadLetter<RawLine> d : in) {
                    RawLine raw = d.item();
                    String reason =
                            d.error() instanceof MalformedLineException
                                    ? d.error().getMessage()
                                    : d.error().toString();
                    w.write(
                            raw.origin()
                                    + ":"
                                    + raw.number()
                                    + "\t"
                                    + reason
                                    + "\t"
                                    + raw.text()
                                    + "\n");
                    count++;
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        /** The number written; read after the thread ended. */
        long count() {
            return count;
        }

        void rethrowFailure() {
            if (failure != null) {
                throw new UncheckedIOException("cannot write " + file, failure);
            }
        }
    }

    /** Prints a line of per-stage rates; after the batch stage, an item is a batch. */
    private static final class Progress {
        private final PrintStream out;
        private final PipelineRun<?> run;
        private final BatchWriter writer;
        private final Map<String, Long> lastOut = new HashMap<>();
        private long lastWritten;
        private long lastNanos = System.nanoTime();

        Progress(PrintStream out, PipelineRun<?> run, BatchWriter writer) {
            this.out = out;
            this.run = run;
            this.writer = writer;
        }

        void print() {
            long now = System.nanoTime();
            double seconds = (now - lastNanos) / 1e9;
            StringBuilder line = new StringBuilder("progress, items/s out of each stage:");
            for (StageMetrics s : run.metrics().stages()) {
                long before = lastOut.getOrDefault(s.name(), 0L);
                lastOut.put(s.name(), s.itemsOut());
                line.append(
                        String.format(" %s %,.0f |", s.name(), (s.itemsOut() - before) / seconds));
            }
            long written = writer.linesWritten();
            line.append(String.format(" lines written %,.0f/s", (written - lastWritten) / seconds));
            lastWritten = written;
            lastNanos = now;
            out.println(line);
        }
    }
}
