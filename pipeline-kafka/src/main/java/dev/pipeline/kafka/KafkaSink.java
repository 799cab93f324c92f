package dev.pipeline.kafka;

import static java.util.Objects.requireNonNull;

import dev.pipeline.Pipeline;
import dev.pipeline.Sink;
import dev.pipeline.StageFunction;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A terminal that produces every item of a pipeline to a Kafka topic, with a bounded number of
 * sends in flight, and completes each item when the broker acknowledges its record.
 *
 * <pre>{@code
 * KafkaSink<Order> sink = KafkaSink.of(producerProperties, "orders-billed",
 *         StringSerializer::new, StringSerializer::new, Order::id, Order::toJson);
 * orders.pipeline().map(r -> bill(r.value())).drainTo("to-kafka", sink);   // blocks
 * long written = sink.writeAll(somePipeline);                              // blocks; records acked
 * }</pre>
 *
 * <p>A {@link Sink}: use it with {@link Pipeline#drainTo(String, Sink)} (blocking) or {@link
 * Pipeline#start(String, Sink)}; {@link #writeAll} runs a pipeline into it and returns the number of
 * records the broker acknowledged. An item is done (so, behind a {@link KafkaSource}, its source
 * offset becomes committable) only when the broker has acknowledged its record: never when it was
 * merely handed to the producer.
 *
 * <p><b>Threads.</b> Each run creates its own {@code KafkaProducer} when the terminal opens the sink
 * and closes it at the end. Sends are asynchronous; at most {@link #maxInFlight(int) maxInFlight}
 * records are unacknowledged at a time (the terminal waits for an acknowledgement before sending
 * more), so a slow broker holds the pipeline back like any slow stage. When the input ends the
 * terminal waits until every record is acknowledged or failed.
 *
 * <p><b>Failure.</b> A send the broker (or the producer) fails is the terminal's failure for that
 * item, handed to its error policy (fail, the default; skip; dead-letter): the cause is a {@link
 * KafkaException} naming the topic and the partition (or {@code -1} when the record was not yet
 * given one). A failing key or value function, or a send the producer refuses at once (a
 * serialisation error), is the terminal's failure too. When the run fails or is cancelled the
 * producer is closed without waiting for the records still in flight, which are then never done.
 *
 * <p>A {@code KafkaSink} is immutable and thread-safe; one sink may serve several runs at once.
 *
 * @param <T> the item type
 */
public final class KafkaSink<T> implements Sink<T> {

    /** Unacknowledged records at most, unless set with {@link #maxInFlight(int)}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Properties properties;
    private final String topic;
    private final Typed<T, ?, ?> typed;
    private final int maxInFlight;

    private KafkaSink(Properties properties, String topic, Typed<T, ?, ?> typed, int maxInFlight) {
        this.properties = properties;
        this.topic = topic;
        this.typed = typed;
        this.maxInFlight = maxInFlight;
    }

    /**
     * A sink producing to {@code topic}: each item's key is {@code key.apply(item)} (null for no
     * key) and its value {@code value.apply(item)}.
     *
     * @param producerProperties producer configuration, at least {@code bootstrap.servers};
     *     copied. Unless set, {@code acks=all} and {@code enable.idempotence=true} (the producer's
     *     defaults) apply.
     * @param topic the topic
     * @param keySerializer makes the key serialiser, once per run ({@code StringSerializer::new})
     * @param valueSerializer makes the value serialiser, once per run
     * @param key an item's key
     * @param value an item's value
     * @param <T> the item type
     * @param <K> the key type
     * @param <V> the value type
     * @return the sink
     * @throws IllegalArgumentException if {@code bootstrap.servers} is not set or the topic is blank
     * @throws NullPointerException if an argument is null
     */
    public static <T, K, V> KafkaSink<T> of(
            Properties producerProperties,
            String topic,
            Supplier<? extends Serializer<K>> keySerializer,
            Supplier<? extends Serializer<V>> valueSerializer,
            StageFunction<? super T, ? extends K> key,
            StageFunction<? super T, ? extends V> value) {
        Properties p = new Properties();
        p.putAll(requireNonNull(producerProperties, "producerProperties"));
        Object bootstrap = p.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || String.valueOf(bootstrap).isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is not set");
        }
        requireNonNull(topic, "topic");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        Typed<T, K, V> typed =
                new Typed<>(
                        requireNonNull(keySerializer, "keySerializer"),
                        requireNonNull(valueSerializer, "valueSerializer"),
                        requireNonNull(key, "key"),
                        requireNonNull(value, "value"));
        return new KafkaSink<>(p, topic, typed, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * This sink with another bound on unacknowledged records.
     *
     * @param maxInFlight at least 1
     * @return a new sink
     * @throws IllegalArgumentException if {@code maxInFlight < 1}
     */
    public KafkaSink<T> maxInFlight(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1 but was " + maxInFlight);
        }
        return new KafkaSink<>(properties, topic, typed, maxInFlight);
    }

    /**
     * Runs {@code pipeline} into the topic ({@link Pipeline#drainTo(String, Sink)}, the terminal
     * named {@code kafka-sink}) and waits until every record is acknowledged.
     *
     * @param pipeline the pipeline whose items to write
     * @return the number of records acknowledged
     * @throws dev.pipeline.PipelineException if a stage failed, this one included (a failed send
     *     fails it under the default policy)
     * @throws java.util.concurrent.CancellationException if the caller was interrupted
     */
    public long writeAll(Pipeline<? extends T> pipeline) {
        AtomicReference<Producing<T, ?, ?>> opened = new AtomicReference<>();
        Sink<T> counted =
                () -> {
                    Producing<T, ?, ?> w = typed.open(properties, topic, maxInFlight);
                    opened.set(w);
                    return w;
                };
        pipeline.drainTo("kafka-sink", counted);
        Producing<T, ?, ?> w = opened.get();
        return w == null ? 0 : w.acknowledged.sum();
    }

    /**
     * Makes this run's producer; called once per run by the terminal.
     *
     * @return the writer, which owns the producer until it is closed
     */
    @Override
    public Sink.Writer<T> open() {
        return typed.open(properties, topic, maxInFlight);
    }

    @Override
    public String toString() {
        return "KafkaSink[" + topic + "]";
    }

    /** The typed part of a sink: serialisers and functions of the same key and value types. */
    private record Typed<T, K, V>(
            Supplier<? extends Serializer<K>> keySerializer,
            Supplier<? extends Serializer<V>> valueSerializer,
            StageFunction<? super T, ? extends K> key,
            StageFunction<? super T, ? extends V> value) {

        Producing<T, K, V> open(Properties properties, String topic, int maxInFlight) {
            return new Producing<>(
                    this,
                    new KafkaProducer<>(properties, keySerializer.get(), valueSerializer.get()),
                    topic,
                    maxInFlight);
        }
    }

    /**
     * One run's producer. {@link #write} and {@link #flush} run on the terminal's thread; the
     * acknowledgements arrive on the producer's I/O thread.
     */
    private static final class Producing<T, K, V> implements Sink.Writer<T> {
        private final Typed<T, K, V> typed;
        private final KafkaProducer<K, V> producer;
        private final String topic;
        private final int maxInFlight;
        /* one permit per record not yet acknowledged or failed */
        private final Semaphore permits;
        final LongAdder acknowledged = new LongAdder();
        private boolean flushed;

        Producing(
                Typed<T, K, V> typed, KafkaProducer<K, V> producer, String topic, int maxInFlight) {
            this.typed = typed;
            this.producer = producer;
            this.topic = topic;
            this.maxInFlight = maxInFlight;
            this.permits = new Semaphore(maxInFlight);
        }

        @Override
        public void write(T item, Sink.Ack ack) throws Exception {
            ProducerRecord<K, V> record =
                    new ProducerRecord<>(topic, typed.key().apply(item), typed.value().apply(item));
            permits.acquire();
            try {
                producer.send(
                        record,
                        (metadata, e) -> {
                            try {
                                if (e == null) {
                                    acknowledged.increment();
                                    ack.done();
                                } else {
                                    ack.failed(failed(topic, metadata, e));
                                }
                            } finally {
                                permits.release();
                            }
                        });
            } catch (RuntimeException e) {
                // refused at once (serialisation, size): no callback comes
                permits.release();
                throw e;
            }
        }

        /** Waits until every record written is acknowledged or failed. */
        @Override
        public void flush() throws InterruptedException {
            producer.flush();
            // the callbacks may still be running when flush returns: wait for every permit
            permits.acquire(maxInFlight);
            permits.release(maxInFlight);
            flushed = true;
        }

        /** Closes the producer: after a flush, waiting for it; else (failed, cancelled) at once. */
        @Override
        public void close() {
            boolean interrupted = Thread.interrupted();
            try {
                producer.close(flushed && !interrupted ? CLOSE_TIMEOUT : Duration.ZERO);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static KafkaException failed(String topic, RecordMetadata metadata, Exception e) {
            int partition = metadata == null ? -1 : metadata.partition();
            return new KafkaException(
                    "send to topic " + topic + " partition " + partition + " failed: " + e, e);
        }
    }
}
