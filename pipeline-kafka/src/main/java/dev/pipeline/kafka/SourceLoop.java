package dev.pipeline.kafka;

import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * One run of a {@link KafkaSource}: the consumer loop on the source's thread.
 *
 * <p>The loop alternates between handing out the buffered records of the last poll and polling.
 * While the buffer is not empty the assigned partitions are paused, so a poll fetches nothing and
 * the buffer never holds more than one poll's records; a poll still happens at least every poll
 * timeout, which keeps the member in its group (the classic protocol's {@code
 * max.poll.interval.ms}) and runs the rebalance callbacks. Handing out waits for room at most one
 * poll timeout ({@link Sender#send(Object, Duration)}), never longer. See ADR 18.
 */
final class SourceLoop<K, V> {

    private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Properties properties;
    private final List<String> topics;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final Duration pollTimeout;
    private final Duration connectTimeout;
    private final boolean skipUndeserializable;
    private final SourceStats stats;

    private final ArrayDeque<KafkaRecord<K, V>> buffer = new ArrayDeque<>();
    private KafkaConsumer<K, V> consumer;
    private boolean paused;
    private long pausedAt;

    SourceLoop(
            Properties properties,
            List<String> topics,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            Duration pollTimeout,
            Duration connectTimeout,
            boolean skipUndeserializable,
            SourceStats stats) {
        this.properties = properties;
        this.topics = topics;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.pollTimeout = pollTimeout;
        this.connectTimeout = connectTimeout;
        this.skipUndeserializable = skipUndeserializable;
        this.stats = stats;
    }

    void run(Sender<KafkaRecord<K, V>> out) throws InterruptedException {
        consumer = new KafkaConsumer<>(properties, keyDeserializer, valueDeserializer);
        try {
            checkTopics();
            consumer.subscribe(topics, new Listener());
            loop(out);
        } catch (InterruptException e) {
            // kafka-clients' unchecked form of a cancellation: the runtime expects the checked one
            Thread.interrupted();
            InterruptedException ie = new InterruptedException("interrupted in the Kafka consumer");
            ie.initCause(e);
            throw ie;
        } finally {
            endPause();
            close();
        }
    }

    private void loop(Sender<KafkaRecord<K, V>> out) throws InterruptedException {
        while (true) {
            if (out.isDisconnected()) {
                return;
            }
            // hand out what is buffered while there is room
            while (!buffer.isEmpty()) {
                SendResult<KafkaRecord<K, V>> r = out.trySend(buffer.peekFirst());
                if (r instanceof SendResult.Sent) {
                    buffer.removeFirst();
                    stats.recordsSent.increment();
                } else if (r instanceof SendResult.Disconnected) {
                    return;
                } else {
                    break;
                }
            }
            if (!buffer.isEmpty()) {
                // downstream is full: pause, then wait for room at most one poll timeout
                pause();
                SendResult<KafkaRecord<K, V>> r = out.send(buffer.peekFirst(), pollTimeout);
                if (r instanceof SendResult.Sent) {
                    buffer.removeFirst();
                    stats.recordsSent.increment();
                } else if (r instanceof SendResult.Disconnected) {
                    return;
                }
            }
            if (buffer.isEmpty()) {
                resume();
            }
            poll(buffer.isEmpty() ? pollTimeout : Duration.ZERO);
        }
    }

    private void poll(Duration timeout) {
        ConsumerRecords<K, V> records;
        try {
            records = consumer.poll(timeout);
        } catch (RecordDeserializationException e) {
            TopicPartition tp = e.topicPartition();
            if (!skipUndeserializable) {
                throw new KafkaException(
                        "cannot deserialize the record at topic "
                                + tp.topic()
                                + " partition "
                                + tp.partition()
                                + " offset "
                                + e.offset()
                                + " ("
                                + e.getMessage()
                                + "; skipUndeserializable(true) skips such records)",
                        e);
            }
            log.warn(
                    "skipping the record at topic {} partition {} offset {}: it cannot be"
                            + " deserialized ({})",
                    tp.topic(),
                    tp.partition(),
                    e.offset(),
                    e.getCause() == null ? e.getMessage() : e.getCause().toString());
            consumer.seek(tp, e.offset() + 1);
            stats.skippedRecords.increment();
            return;
        }
        stats.polls.increment();
        stats.recordsPolled.add(records.count());
        for (ConsumerRecord<K, V> r : records) {
            buffer.addLast(
                    new KafkaRecord<>(
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            r.timestamp(),
                            r.key(),
                            r.value(),
                            List.of(r.headers().toArray())));
        }
        stats.buffered(buffer.size());
    }

    private void pause() {
        if (!paused) {
            consumer.pause(consumer.assignment());
            paused = true;
            pausedAt = System.nanoTime();
            stats.pauses.increment();
        }
    }

    private void resume() {
        if (paused) {
            consumer.resume(consumer.paused());
            endPause();
            stats.resumes.increment();
        }
    }

    private void endPause() {
        if (paused) {
            paused = false;
            stats.pausedNanos.add(System.nanoTime() - pausedAt);
        }
    }

    /** Fails fast when no broker answers or a topic is missing, instead of polling forever. */
    private void checkTopics() {
        for (String topic : topics) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, connectTimeout);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new KafkaException(
                        "no Kafka broker at "
                                + properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                                + " told the partitions of topic "
                                + topic
                                + " within the connect timeout of "
                                + connectTimeout,
                        e);
            }
            if (partitions == null || partitions.isEmpty()) {
                throw new KafkaException(
                        "topic "
                                + topic
                                + " does not exist at "
                                + properties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            }
        }
    }

    private void close() {
        // a cancelled run arrives here interrupted, and an interrupted close would not leave the
        // group: close uninterrupted, then restore the flag
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("closing the Kafka consumer failed", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs inside {@code poll()}, on the source's thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            stats.rebalances.increment();
            if (paused) {
                // keep the one-poll bound: a partition that arrives while paused starts paused
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            stats.partitionsRevoked.add(partitions.size());
            // the new owner reads these again: do not hand them out here too
            Set<TopicPartition> gone = new HashSet<>(partitions);
            buffer.removeIf(r -> gone.contains(r.topicPartition()));
        }
    }
}
