package dev.pipeline.kafka;

import static java.util.Objects.requireNonNull;

import dev.pipeline.CustomStage;
import dev.pipeline.Pipeline;
import dev.pipeline.StageFunction;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

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
 * A stage that produces every item of a pipeline to a Kafka topic, with a bounded number of sends
 * in flight, and when its input ends waits until every record is acknowledged.
 *
 * <pre>{@code
 * KafkaSink<Order> sink = KafkaSink.of(producerProperties, "orders-billed",
 *         StringSerializer::new, StringSerializer::new, Order::id, Order::toJson);
 * long written = sink.writeAll(orders.pipeline().map(r -> bill(r.value())));
 * }</pre>
 *
 * <p>As a {@link CustomStage} ({@code pipeline.through("to-kafka", sink)}) it emits one item when
 * its input is drained: the number of records the broker acknowledged. {@link #writeAll} runs a
 * pipeline through it and returns that number.
 *
 * <p><b>Threads.</b> Each run creates its own {@code KafkaProducer} on the stage's thread and
 * closes it at the end. Sends are asynchronous; at most {@link #maxInFlight(int) maxInFlight}
 * records are unacknowledged at a time (the stage waits for an acknowledgement before sending
 * more), so a slow broker holds the pipeline back like any slow stage.
 *
 * <p><b>Failure.</b> A send the broker (or the producer) fails fails the stage: the failure is
 * noticed before the next item is sent, or at the end, and the cause is a {@link KafkaException}
 * naming the topic and the partition (or {@code -1} when the record was not yet given one). The
 * records sent before it may or may not have been written. A failing key or value function fails
 * the stage too. When the run fails or is cancelled the producer is closed without waiting for
 * the records still in flight.
 *
 * <p>A {@code KafkaSink} is immutable and thread-safe; one sink may serve several runs at once.
 *
 * @param <T> the item type
 */
public final class KafkaSink<T> implements CustomStage<T, Long> {

    /** Unacknowledged records at most, unless set with {@link #maxInFlight(int)}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    private final Properties properties;
    private final String topic;
    private final Sink<T, ?, ?> sink;
    private final int maxInFlight;

    private KafkaSink(Properties properties, String topic, Sink<T, ?, ?> sink, int maxInFlight) {
        this.properties = properties;
        this.topic = topic;
        this.sink = sink;
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
        Sink<T, K, V> sink =
                new Sink<>(
                        requireNonNull(keySerializer, "keySerializer"),
                        requireNonNull(valueSerializer, "valueSerializer"),
                        requireNonNull(key, "key"),
                        requireNonNull(value, "value"));
        return new KafkaSink<>(p, topic, sink, DEFAULT_MAX_IN_FLIGHT);
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
        return new KafkaSink<>(properties, topic, sink, maxInFlight);
    }

    /**
     * Runs {@code pipeline} into the topic and waits until every record is acknowledged; the
     * stage is named {@code kafka-sink}.
     *
     * @param pipeline the pipeline whose items to write
     * @param <S> the pipeline's item type
     * @return the number of records acknowledged
     * @throws dev.pipeline.PipelineException if a stage failed, this one included
     * @throws java.util.concurrent.CancellationException if the caller was interrupted
     */
    public <S extends T> long writeAll(Pipeline<S> pipeline) {
        return pipeline.through("kafka-sink", this).reduce(0L, Long::sum);
    }

    /**
     * Sends every item of {@code in}, then, once all are acknowledged, emits their number.
     *
     * @param in the items
     * @param out receives one item, the number of records acknowledged
     * @throws Exception a failed send or a failing key or value function; {@link
     *     InterruptedException} when the run is cancelled
     */
    @Override
    public void run(Receiver<T> in, Sender<Long> out) throws Exception {
        out.send(sink.run(properties, topic, maxInFlight, in));
    }

    @Override
    public String toString() {
        return "KafkaSink[" + topic + "]";
    }

    /** The typed part of a sink: serialisers and functions of the same key and value types. */
    private record Sink<T, K, V>(
            Supplier<? extends Serializer<K>> keySerializer,
            Supplier<? extends Serializer<V>> valueSerializer,
            StageFunction<? super T, ? extends K> key,
            StageFunction<? super T, ? extends V> value) {

        long run(Properties properties, String topic, int maxInFlight, Receiver<T> in)
                throws Exception {
            Semaphore permits = new Semaphore(maxInFlight);
            AtomicReference<KafkaException> failure = new AtomicReference<>();
            LongAdder acknowledged = new LongAdder();
            KafkaProducer<K, V> producer =
                    new KafkaProducer<>(properties, keySerializer.get(), valueSerializer.get());
            boolean finished = false;
            try {
                for (T item : in) {
                    throwIfFailed(failure);
                    ProducerRecord<K, V> record =
                            new ProducerRecord<>(topic, key.apply(item), value.apply(item));
                    permits.acquire();
                    try {
                        producer.send(
                                record,
                                (metadata, e) -> {
                                    if (e == null) {
                                        acknowledged.increment();
                                    } else {
                                        failure.compareAndSet(null, failed(topic, metadata, e));
                                    }
                                    permits.release();
                                });
                    } catch (RuntimeException e) {
                        permits.release();
                        throw e;
                    }
                }
                producer.flush();
                throwIfFailed(failure);
                finished = true;
                return acknowledged.sum();
            } finally {
                // on failure or cancellation, drop what is in flight rather than wait for it
                boolean interrupted = Thread.interrupted();
                producer.close(finished ? Duration.ofSeconds(30) : Duration.ZERO);
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

        private static void throwIfFailed(AtomicReference<KafkaException> failure) {
            KafkaException e = failure.get();
            if (e != null) {
                throw e;
            }
        }
    }
}
