/**
 * Kafka topics as pipeline sources and sinks, on kafka-clients.
 *
 * <p>{@link dev.pipeline.kafka.KafkaSource} turns a consumer group's share of some topics into a
 * pipeline of {@code KafkaRecord<K, V>} whose back-pressure reaches the consumer (it pauses its
 * partitions and keeps polling, so it stays in the group however slow the pipeline is) and which
 * commits, per partition, only the offsets of records done downstream (at-least-once, end to end);
 * {@link dev.pipeline.kafka.KafkaSink} is a {@link dev.pipeline.Sink} that produces a pipeline's
 * items to a topic with a bounded number of sends in flight and completes each item on the
 * broker's acknowledgement. See {@code docs/kafka.md}.
 *
 * <p>This module has no {@code module-info} (kafka-clients has none); its jar names the automatic
 * module {@code dev.pipeline.kafka}. Everything not public here is internal.
 */
package dev.pipeline.kafka;
