package dev.pipeline.examples;

import dev.pipeline.Pipeline;
import dev.pipeline.PipelineException;
import dev.pipeline.kafka.KafkaSink;
import dev.pipeline.logs.LogEntries;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ship-logs: publishes log files to a Kafka topic, one record per entry (an entry's first line and
 * its continuation lines, such as a stack trace, as {@link LogEntries} splits them), for {@code
 * log-aggregator --from-kafka} to read. Needs a broker; see {@code docs/kafka-logs.md}.
 *
 * <pre>run ship-logs --topic TOPIC [--bootstrap HOST:PORT] FILE...</pre>
 *
 * <p>A source reads the files in turn and hands out their entries; a {@link KafkaSink} produces
 * them, the file's name as the key (so a file's entries stay in order in one partition), and
 * waits for every acknowledgement. It prints the records the broker acknowledged: the total the
 * aggregators of a group must add up to.
 */
final class ShipLogs {
    static final String DESCRIPTION =
            "publishes log files to a Kafka topic, one record per entry (needs a broker)";

    private ShipLogs() {}

    /** One entry of a file: the record's key and value. */
    private record Entry(String file, byte[] lines) {}

    static int run(PrintStream out, PrintStream err, String... args) throws Exception {
        String topic = null;
        String bootstrap = "127.0.0.1:9092";
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--topic" -> topic = value(args, ++i, "--topic");
                case "--bootstrap" -> bootstrap = value(args, ++i, "--bootstrap");
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    files.add(Path.of(args[i]));
                }
            }
        }
        if (topic == null || files.isEmpty()) {
            throw new IllegalArgumentException(
                    "usage: ship-logs --topic TOPIC [--bootstrap HOST:PORT] FILE...");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("not a file: " + f);
            }
        }

        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer.setProperty(ProducerConfig.LINGER_MS_CONFIG, "20");
        // no broker, or no such topic: fail after 15 s rather than the producer's 60 s
        producer.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        KafkaSink<Entry> sink =
                KafkaSink.of(
                        producer,
                        topic,
                        StringSerializer::new,
                        ByteArraySerializer::new,
                        Entry::file,
                        Entry::lines);

        AtomicLong lines = new AtomicLong();
        Pipeline<Entry> entries =
                Pipeline.generate(
                        "entries",
                        tx -> {
                            for (Path f : files) {
                                String key = f.getFileName().toString();
                                LogEntries.forEach(
                                        f,
                                        entry -> {
                                            lines.addAndGet(count(entry));
                                            tx.send(new Entry(key, entry));
                                        });
                            }
                        });
        long start = System.nanoTime();
        long shipped;
        try {
            shipped = sink.writeAll(entries);
        } catch (PipelineException e) {
            err.println(
                    "ship-logs: stage '"
                            + e.stageName()
                            + "' failed: "
                            + (e.getCause() != null ? e.getCause() : e));
            return 1;
        }
        out.printf(
                "shipped %,d records (%,d lines) from %d files to topic %s at %s in %d ms%n",
                shipped,
                lines.get(),
                files.size(),
                topic,
                bootstrap,
                (System.nanoTime() - start) / 1_000_000);
        return 0;
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static long count(byte[] entry) {
        long n = 0;
        for (byte b : entry) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
