package dev.pipeline.bench;

import dev.pipeline.kafka.KafkaSink;
import dev.pipeline.kafka.KafkaSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records per second of consume → map (upper-case the value) → produce to another topic, with
 * at-least-once commits, against a one-node KRaft broker started in this JVM at the trial's set-up.
 *
 * <p>One invocation reads all {@value #RECORDS} records (100-byte values, 4 partitions) written at
 * set-up, in a fresh consumer group, and writes each one upper-cased to an output topic; it ends
 * when every output is acknowledged and the input's offsets are committed.
 *
 * <ul>
 *   <li>{@code pipeline}: {@code KafkaSource → take(n) → map → KafkaSink} ({@code writeAll}):
 *       offsets are committed, per partition, only up to records whose output the broker
 *       acknowledged, every commit interval and at the end, when the take has stopped the source
 *       and every record is done.
 *   <li>{@code handwritten}: the textbook kafka-clients loop on one thread, with correct commits:
 *       poll, send each record's output, {@code flush()} (every output of the poll acknowledged),
 *       then commit the poll's offsets ({@code commitAsync}; {@code commitSync} at the end).
 * </ul>
 *
 * <p>Both use the same consumer settings (the source's defaults: cooperative-sticky assignment,
 * {@code earliest}, no auto-commit) and the producer's defaults ({@code acks=all}, idempotence),
 * and both create their consumer and producer inside the invocation, as a run of the pipeline
 * does. The checksum is the number of outputs acknowledged.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class KafkaPipelineBenchmark {

    /** Records per invocation (divided by the quick mode's scale). */
    static final int RECORDS = 50_000;

    private static final String IN = "bench-in";
    private static final String OUT = "bench-out";
    private static final int PARTITIONS = 4;

    @Param({"pipeline", "handwritten"})
    String impl;

    private KafkaBenchBroker broker;
    private int records;
    private int groups;

    /** Starts the broker, creates the topics and writes the input. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        records = Bench.items(RECORDS);
        broker = KafkaBenchBroker.start();
        broker.createTopic(IN, PARTITIONS);
        broker.createTopic(OUT, PARTITIONS);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        producerProperties(), new StringSerializer(), new StringSerializer())) {
            List<Future<?>> acks = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                acks.add(producer.send(new ProducerRecord<>(IN, "k" + i, value(i))));
            }
            for (Future<?> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Stops the broker and deletes its data. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        broker.close();
    }

    /** Consumes every input record in a fresh group; returns the outputs acknowledged. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long consumeMapProduce() throws Exception {
        String group = "bench-" + impl + "-" + ++groups;
        long written =
                switch (impl) {
                    case "pipeline" -> pipeline(group);
                    case "handwritten" -> handwritten(group);
                    default -> throw new IllegalArgumentException(impl);
                };
        return Bench.check(impl, records, written);
    }

    /** An output record: the input's key, its value upper-cased. */
    private record Upper(String key, String value) {}

    private long pipeline(String group) {
        KafkaSource<String, String> source =
                KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
                        .properties(consumerProperties(group))
                        .topics(IN)
                        .build();
        KafkaSink<Upper> sink =
                KafkaSink.<Upper, String, String>of(
                        producerProperties(),
                        OUT,
                        StringSerializer::new,
                        StringSerializer::new,
                        Upper::key,
                        Upper::value);
        // the take stops the source once n records have passed; the source then waits for them
        // to be done (acknowledged), commits, and leaves the group: writeAll returns after that
        return sink.writeAll(
                source.pipeline()
                        .take(records)
                        .map("upper", r -> new Upper(r.key(), r.value().toUpperCase())));
    }

    private long handwritten(String group) {
        LongAdder acknowledged = new LongAdder();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(
                                consumerProperties(group),
                                new StringDeserializer(),
                                new StringDeserializer());
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(
                                producerProperties(),
                                new StringSerializer(),
                                new StringSerializer())) {
            consumer.subscribe(List.of(IN));
            long consumed = 0;
            while (consumed < records) {
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(100));
                if (polled.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> batch = new HashMap<>();
                for (ConsumerRecord<String, String> r : polled) {
                    producer.send(
                            new ProducerRecord<>(OUT, r.key(), r.value().toUpperCase()),
                            (metadata, e) -> {
                                if (e == null) {
                                    acknowledged.increment();
                                } else {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    batch.put(
                            new TopicPartition(r.topic(), r.partition()),
                            new OffsetAndMetadata(r.offset() + 1));
                    consumed++;
                }
                // commit only what the broker has acknowledged the outputs of
                producer.flush();
                if (failure.get() != null) {
                    throw new KafkaException("a send failed", failure.get());
                }
                consumer.commitAsync(batch, null);
                positions.putAll(batch);
            }
            consumer.commitSync(positions);
        }
        return acknowledged.sum();
    }

    private Properties consumerProperties(String group) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return p;
    }

    /** A 100-byte value. */
    private static String value(int i) {
        StringBuilder sb = new StringBuilder(100).append("record-").append(i).append('-');
        while (sb.length() < 100) {
            sb.append((char) ('a' + sb.length() % 26));
        }
        return sb.toString();
    }
}
