package dev.pipeline.logs;

import dev.pipeline.Pipeline;
import dev.pipeline.PipelineRun;
import dev.pipeline.Sink;
import dev.pipeline.kafka.KafkaRecord;
import dev.pipeline.kafka.KafkaSink;
import dev.pipeline.kafka.KafkaSource;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The aggregator over a Kafka topic ({@code --from-kafka TOPIC --group G}): the run joins the
 * group, reads the records of the partitions the group gives it, and aggregates them as it does
 * files; several runs in one group share the partitions.
 *
 * <pre>
 * kafka TOPIC ─┐
 *              ├ merge -&gt; until -&gt; records -&gt; parse (N workers, ordered) -&gt; write
 * ticks ───────┘
 * </pre>
 *
 * <p><b>A record is an entry.</b> Its value (UTF-8) holds one entry: its first line and its
 * continuation lines (a stack trace), as the shipper sends them; several lines or entries in one
 * record are read as a small file would be. Each record's format is detected from its own lines by
 * the same {@link Detector} as a file's, and it is parsed by the same {@link ChunkParser}, so a
 * topic may mix every format. A timestamp without a year takes the record's timestamp's year as a
 * file takes its modification year. The report has one input per partition; a dead letter's
 * origin is {@code TOPIC-PARTITION@OFFSET}.
 *
 * <p><b>The end.</b> A topic never ends, so the run ends when asked: {@code --idle-exit} (no
 * record for that long, counted from the first assignment of partitions), {@code --max-records}
 * (a {@code take} right after the source), or a signal ({@code stop}). The {@code until} stage
 * ends the pipeline on the first tick after that; the ticks come from a source of their own, so
 * that a quiet topic still wakes it. Its end closes its input, which ends the Kafka source quietly
 * (it leaves the group); the records already past it are parsed and written. A record is never
 * dropped by the end check: only ticks fail it.
 *
 * <p><b>Offsets.</b> The writer is a {@link Sink}: it acknowledges a record once a force has put
 * its lines on disk (at most {@code --max-wait} after the write), and the source commits an offset
 * only when every record before it is acknowledged; a record dropped by the level filter is done
 * when parsed. A run that ends as asked commits what it wrote; a crash leaves at most the records
 * since the last commit to be read again by the group (at-least-once).
 *
 * <p>This is the one class of the package that names kafka-clients: a file run never loads it.
 */
final class KafkaMode {
    /** How often the end is checked while the topic is quiet. */
    static final Duration TICK = Duration.ofMillis(50);

    /** The ticks' item. */
    private static final Object TICK_ITEM = new Object();

    private KafkaMode() {}

    /**
     * Runs the aggregator over the topic until the end asked for.
     *
     * @param o the options, with {@link Options#kafka()}
     * @param out where progress goes
     * @param stop set by a signal: the run ends at the next tick
     * @return what happened; {@link Aggregation.Result#kafka()} tells the records per partition
     * @throws IOException if the output cannot be written
     */
    static Aggregation.Result run(Options o, PrintStream out, AtomicBoolean stop)
            throws IOException, InterruptedException {
        Options.Kafka k = o.kafka();
        Path outDir = Aggregation.outDir(o);
        Timestamps.LazyZone zone = new Timestamps.LazyZone(o.zone());
        Settings settings = new Settings(o.minLevel(), o.defaultLevel(), zone, o.year(), o.json());
        ByteOut.Pool buffers = new ByteOut.Pool(64);
        ChunkParser parser = new ChunkParser(settings, buffers);
        Map<String, Input> partitions = new ConcurrentHashMap<>();

        KafkaSource<byte[], byte[]> source =
                KafkaSource.builder(ByteArrayDeserializer::new, ByteArrayDeserializer::new)
                        .bootstrapServers(k.bootstrap())
                        .groupId(k.group())
                        .topics(k.topic())
                        .name("kafka " + k.topic())
                        .build();
        Pipeline<KafkaRecord<byte[], byte[]>> records = source.pipeline().capacity(256);
        if (k.maxRecords() > 0) {
            records = records.take("max-records", k.maxRecords());
        }
        Pipeline<Object> ticks =
                Pipeline.generate(
                        "ticks",
                        tx -> {
                            while (true) {
                                Thread.sleep(TICK.toMillis());
                                tx.send(TICK_ITEM);
                            }
                        });
        Until until = new Until(k, stop, source);

        long start = System.nanoTime();
        PipelineRun<Void> run;
        long syncs;
        try (OutputWriter writer =
                new OutputWriter(
                        outDir.resolve(Aggregation.OUTPUT_FILE),
                        outDir.resolve(Aggregation.DEAD_LETTER_FILE),
                        o.batch(),
                        o.maxWait(),
                        buffers)) {
            run =
                    Pipeline.<Object>merge(List.of(records, ticks))
                            .capacity(256)
                            .takeWhile("until", until::test)
                            .filter("records", item -> item != TICK_ITEM)
                            .capacity(256)
                            .mapParallel(
                                    "parse",
                                    o.workers(),
                                    item -> parse(item, parser, zone, partitions))
                            .capacity(256)
                            .named("log-aggregator")
                            .start("write", sink(writer, toKafka(k)));
            ScheduledExecutorService ticker =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> Thread.ofPlatform().daemon().name("progress").unstarted(r));
            Aggregation.Progress progress = new Aggregation.Progress(out, writer, start);
            ticker.scheduleAtFixedRate(progress::print, 1, 1, TimeUnit.SECONDS);
            ticker.scheduleAtFixedRate(
                    () -> {
                        try {
                            writer.tick();
                        } catch (IOException e) {
                            // the writer sees the same failure at its next write or at the end
                        }
                    },
                    10,
                    10,
                    TimeUnit.MILLISECONDS);
            try {
                run.await();
                writer.finish();
            } finally {
                ticker.shutdownNow();
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            }
            syncs = writer.syncs;
        }
        long nanos = System.nanoTime() - start;
        boolean deleted = Aggregation.deleteTemporary(o, outDir);
        List<Input> inputs = new ArrayList<>(partitions.values());
        inputs.sort(
                Comparator.comparing(
                                (Input in) -> in.origin.substring(0, in.origin.lastIndexOf('-')))
                        .thenComparingInt(KafkaMode::partition));
        String summary = summary(k, inputs, until, source.stats());
        return new Aggregation.Result(
                inputs,
                outDir,
                deleted,
                syncs,
                nanos,
                run.metrics().report(),
                o.workers(),
                summary);
    }

    /**
     * The terminal: appends each record's lines in order, and acknowledges the record once a
     * force has put them on disk (so its offset is committed only then); with {@code --to-kafka}
     * it also produces the record's output lines as one record and acknowledges it only once the
     * broker has acknowledged that too; at the end, forces the rest and waits.
     */
    private static Sink<Parsed> sink(OutputWriter writer, KafkaSink<byte[]> toKafka) {
        return () -> {
            Sink.Writer<byte[]> produced = toKafka == null ? null : toKafka.open();
            return new Sink.Writer<>() {
                @Override
                public void write(Parsed p, Sink.Ack ack) throws Exception {
                    if (produced == null || p.out.length() == 0) {
                        writer.write(p, ack::done);
                        return;
                    }
                    // copied first: the writer hands the output buffer back to its pool
                    byte[] lines = Arrays.copyOf(p.out.array(), p.out.length());
                    Sink.Ack both = new BothAcks(ack);
                    writer.write(p, both::done);
                    produced.write(lines, both);
                }

                @Override
                public void flush() throws Exception {
                    writer.finish();
                    if (produced != null) {
                        produced.flush();
                    }
                }

                @Override
                public void close() throws Exception {
                    // the file writer is closed by the run, after the report's counts are read
                    if (produced != null) {
                        produced.close();
                    }
                }
            };
        };
    }

    /** {@code --to-kafka}: a sink producing output lines as record values, or null. */
    private static KafkaSink<byte[]> toKafka(Options.Kafka k) {
        if (k.toTopic() == null) {
            return null;
        }
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrap());
        return KafkaSink.of(
                p,
                k.toTopic(),
                ByteArraySerializer::new,
                ByteArraySerializer::new,
                lines -> null,
                lines -> lines);
    }

    /**
     * One record's acknowledgement once both its writes are: the file's force and the broker's
     * acknowledgement of its output lines; a failure of either is the record's failure.
     */
    private static final class BothAcks implements Sink.Ack {
        private final Sink.Ack ack;
        private final AtomicInteger left = new AtomicInteger(2);

        BothAcks(Sink.Ack ack) {
            this.ack = ack;
        }

        @Override
        public void done() {
            if (left.decrementAndGet() == 0) {
                ack.done();
            }
        }

        @Override
        public void failed(Exception error) {
            ack.failed(error); // the first call wins there; a later done() is ignored
        }
    }

    /** Parses one record as a small file of its own. */
    private static Parsed parse(
            Object item,
            ChunkParser parser,
            Timestamps.LazyZone zone,
            Map<String, Input> partitions) {
        KafkaRecord<?, ?> r = (KafkaRecord<?, ?>) item;
        byte[] value = r.value() != null ? (byte[]) r.value() : new byte[0];
        String partition = r.topic() + "-" + r.partition();
        Input in = new Input(partition + "@" + r.offset(), null);
        in.total =
                partitions.computeIfAbsent(
                        partition,
                        p -> {
                            Input t = new Input(p, null);
                            t.recordsByFormat = new long[Format.values().length + 1];
                            return t;
                        });
        in.offset = r.offset();
        in.setModified(Instant.ofEpochMilli(r.timestamp()), zone);
        in.format = Detector.detect(value, value.length, true);
        in.detected = true;
        return parser.parse(Chunk.of(in, value, value.length, true, null));
    }

    private static int partition(Input in) {
        return Integer.parseInt(in.origin.substring(in.origin.lastIndexOf('-') + 1));
    }

    /** The report's lines about the topic: records per partition, and how the run ended. */
    private static String summary(
            Options.Kafka k, List<Input> inputs, Until until, KafkaSource.Stats stats) {
        long records = inputs.stream().mapToLong(in -> in.records).sum();
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Kafka: %s consumed from topic %s as a member of group %s at %s%n",
                        Report.count(records, "record"),
                        k.topic(),
                        k.group(),
                        k.bootstrap()));
        for (Input in : inputs) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  partition %s: %s, offsets %,d to %,d%n",
                            in.origin,
                            Report.count(in.records, "record"),
                            in.firstOffset,
                            in.lastOffset));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  records polled %,d; group assignments %,d, partitions revoked %,d%n",
                        stats.recordsPolled(),
                        stats.rebalances(),
                        stats.partitionsRevoked()));
        sb.append("Ended: ").append(until.reason()).append(System.lineSeparator());
        return sb.toString();
    }

    /**
     * The {@code until} stage's test, on its one thread: a record always passes (it is counted);
     * a tick fails once the run should end, which ends the pipeline.
     */
    static final class Until {
        private final long idleNanos;
        private final long maxRecords;
        private final AtomicBoolean stop;
        private final KafkaSource<?, ?> source;
        private final Duration idle;
        private long records;
        private long quietSince;
        private volatile String reason = "the run failed or was cancelled";

        Until(Options.Kafka k, AtomicBoolean stop, KafkaSource<?, ?> source) {
            this.idle = k.idleExit();
            this.idleNanos = idle == null ? 0 : idle.toNanos();
            this.maxRecords = k.maxRecords();
            this.stop = stop;
            this.source = source;
        }

        boolean test(Object item) {
            long now = System.nanoTime();
            if (item != TICK_ITEM) {
                records++;
                quietSince = now;
                return true;
            }
            if (stop.get()) {
                reason = "stopped by a signal after " + Report.count(records, "record");
                return false;
            }
            if (maxRecords > 0 && records >= maxRecords) {
                reason = "--max-records " + maxRecords + " reached";
                return false;
            }
            if (idleNanos > 0) {
                if (quietSince == 0) {
                    // the idle time counts from the first assignment: joining a group takes
                    // seconds (the broker's initial rebalance delay) that are not idleness
                    if (source.stats().rebalances() > 0) {
                        quietSince = now;
                    }
                } else if (now - quietSince >= idleNanos) {
                    reason = "no record for " + idle.toMillis() + " ms (--idle-exit)";
                    return false;
                }
            }
            return true;
        }

        String reason() {
            return reason;
        }
    }
}
