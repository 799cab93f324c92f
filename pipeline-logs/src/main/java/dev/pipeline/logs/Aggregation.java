package dev.pipeline.logs;

import dev.pipeline.Pipeline;
import dev.pipeline.PipelineRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of the aggregator: one reader per input, the parse stage on {@code --workers} threads
 * (chunks stay in input order, so each file's lines keep theirs), one writer.
 *
 * <pre>
 * read FILE (one per input) -&gt; merge -&gt; parse (N workers, ordered) -&gt; write (append, force)
 * </pre>
 */
final class Aggregation {
    /** The output file, in the output folder. */
    static final String OUTPUT_FILE = "aggregated.log";

    /**
     * The dead-letter file: one line per line no format reads, {@code ORIGIN:LINE<tab>REASON<tab>
     * TEXT}, tabs and control characters in the fields escaped.
     */
    static final String DEAD_LETTER_FILE = "dead-letter.log";

    /** How often a followed file is polled at its end. */
    static final Duration POLL = Duration.ofMillis(50);

    /**
     * What a run did.
     *
     * @param inputs every input with its counts
     * @param outDir where the output went
     * @param deleted whether that folder was temporary and is deleted now
     * @param syncs how many times the output was forced to disk
     * @param nanos how long the run took
     * @param stageReport the pipeline's stage report
     * @param workers parse workers
     * @param kafka the Kafka mode's lines for the report (records per partition, how the run
     *     ended), or {@code null} for files
     */
    record Result(
            List<Input> inputs,
            Path outDir,
            boolean deleted,
            long syncs,
            long nanos,
            String stageReport,
            int workers,
            String kafka) {

        long read() {
            return inputs.stream().mapToLong(i -> i.lines).sum();
        }

        long written() {
            return inputs.stream().mapToLong(i -> i.written).sum();
        }

        long filtered() {
            return inputs.stream().mapToLong(i -> i.filtered).sum();
        }

        long deadLettered() {
            return inputs.stream().mapToLong(i -> i.deadLettered).sum();
        }

        boolean failed() {
            return inputs.stream().anyMatch(i -> i.failure != null);
        }
    }

    private Aggregation() {}

    /**
     * Runs the aggregator.
     *
     * @param o the options
     * @param out where progress goes
     * @param stop when set, the readers stop; every line read is still written
     * @return what happened
     * @throws IOException if the output folder or files cannot be created
     */
    static Result run(Options o, PrintStream out, AtomicBoolean stop)
            throws IOException, InterruptedException {
        if (o.kafka() != null) {
            // the one reference to the Kafka mode: a file run loads none of its classes
            return KafkaMode.run(o, out, stop);
        }
        Path outDir = outDir(o);
        Timestamps.LazyZone zone = new Timestamps.LazyZone(o.zone());
        Settings settings = new Settings(o.minLevel(), o.defaultLevel(), zone, o.year(), o.json());
        List<Input> inputs = new ArrayList<>();
        List<Pipeline<Chunk>> sources = new ArrayList<>();
        for (String file : o.files()) {
            Input input = new Input(file, Path.of(file));
            inputs.add(input);
            if (o.follow()) {
                InputReader reader = new InputReader(input, stop, zone, POLL);
                sources.add(
                        Pipeline.<Chunk>generate(
                                        "follow " + input.path.getFileName(), reader::follow)
                                .capacity(2));
            }
        }
        // every chunk in flight holds one output buffer: the channels' capacities and the
        // workers bound their number, and the pool keeps that many
        ByteOut.Pool buffers = new ByteOut.Pool(64);
        ChunkParser parser = new ChunkParser(settings, buffers);
        FileRanges.Split split = null;
        if (!o.files().isEmpty() && !o.follow()) {
            split = new FileRanges.Split(List.copyOf(inputs), zone, stop, parser);
            sources.add(Pipeline.<Chunk>generate("split", split::send).capacity(4));
        }
        if (o.files().isEmpty()) {
            for (int i = 0; i < o.sources(); i++) {
                LogGenerator gen = new LogGenerator(o.seed(), i);
                Input input = new Input("generated " + gen.source(), null);
                inputs.add(input);
                sources.add(
                        Pipeline.<Chunk>generate(
                                        "generate " + gen.source(),
                                        tx -> GeneratedSource.run(input, gen, o.lines(), stop, tx))
                                .capacity(2));
            }
        }
        long start = System.nanoTime();
        PipelineRun<Void> run;
        long syncs;
        try (OutputWriter writer =
                new OutputWriter(
                        outDir.resolve(OUTPUT_FILE),
                        outDir.resolve(DEAD_LETTER_FILE),
                        o.batch(),
                        o.maxWait(),
                        buffers)) {
            Pipeline<Chunk> chunks =
                    sources.size() == 1 ? sources.get(0) : Pipeline.merge(sources).capacity(4);
            run =
                    chunks.mapParallel("parse", o.workers(), parser::parse)
                            .capacity(4)
                            .<Void>through(
                                    "write",
                                    (in, unused) -> {
                                        writer.run(in);
                                    })
                            .named("log-aggregator")
                            .start();
            ScheduledExecutorService ticker =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> Thread.ofPlatform().daemon().name("progress").unstarted(r));
            Progress progress = new Progress(out, writer, start);
            ticker.scheduleAtFixedRate(progress::print, 1, 1, TimeUnit.SECONDS);
            try {
                run.await();
            } finally {
                ticker.shutdownNow();
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            }
            syncs = writer.syncs;
        } finally {
            if (split != null) {
                split.finish(); // when the pipeline never ran: no file is opened after the loop
            }
            for (Input in : inputs) {
                if (in.channel != null) {
                    in.channel.close();
                }
            }
        }
        long nanos = System.nanoTime() - start;
        boolean deleted = deleteTemporary(o, outDir);
        return new Result(
                inputs, outDir, deleted, syncs, nanos, run.metrics().report(), o.workers(), null);
    }

    /** The output folder: {@code --out}, created, or a new temporary one. */
    static Path outDir(Options o) throws IOException {
        return o.out() != null
                ? Files.createDirectories(o.out())
                : Files.createTempDirectory("log-aggregator-");
    }

    /** Deletes a temporary output folder (no {@code --out}); whether it did. */
    static boolean deleteTemporary(Options o, Path outDir) throws IOException {
        if (o.out() != null) {
            return false;
        }
        Files.deleteIfExists(outDir.resolve(OUTPUT_FILE));
        Files.deleteIfExists(outDir.resolve(DEAD_LETTER_FILE));
        Files.deleteIfExists(outDir);
        return true;
    }

    /** A line a second while lines flow: lines read and written so far, and the rate. */
    static final class Progress {
        private final PrintStream out;
        private final OutputWriter writer;
        private long lastRead;
        private long lastNanos;

        Progress(PrintStream out, OutputWriter writer, long start) {
            this.out = out;
            this.writer = writer;
            this.lastNanos = start;
        }

        void print() {
            long now = System.nanoTime();
            long read = writer.linesRead;
            if (read == lastRead) {
                return;
            }
            double rate = (read - lastRead) / ((now - lastNanos) / 1e9);
            out.printf(
                    "progress: %,d lines read, %,d written, %,.0f lines/s%n",
                    read, writer.linesWritten, rate);
            lastRead = read;
            lastNanos = now;
        }
    }
}
