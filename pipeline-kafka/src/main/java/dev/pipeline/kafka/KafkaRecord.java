package dev.pipeline.kafka;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.util.List;

/**
 * One record read by a {@link KafkaSource}: where it came from (topic, partition, offset), its
 * timestamp, its deserialised key and value, and its headers.
 *
 * <p>The key and the value may be null (a record without a key, a tombstone); the record itself is
 * never null. The headers list is immutable.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in its partition
 * @param timestamp the record's timestamp, in milliseconds since the epoch
 * @param key the deserialised key, or null
 * @param value the deserialised value, or null
 * @param headers the record's headers, in order
 * @param <K> the key type
 * @param <V> the value type
 */
public record KafkaRecord<K, V>(
        String topic,
        int partition,
        long offset,
        long timestamp,
        K key,
        V value,
        List<Header> headers) {

    /**
     * Checks the arguments and copies the headers.
     *
     * @throws NullPointerException if {@code topic} or {@code headers} is null
     */
    public KafkaRecord {
        requireNonNull(topic, "topic");
        headers = List.copyOf(headers);
    }

    /**
     * The record's topic and partition.
     *
     * @return a new {@link TopicPartition}
     */
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
