/**
 * Kafka topics as pipeline sources and sinks, on kafka-clients.
 *
 * <p>{@link dev.pipeline.kafka.KafkaSource} turns a consumer group's share of some topics into a
 * {@code Pipeline<KafkaRecord<K, V>>} whose back-pressure reaches the consumer (it pauses its
 * partitions and keeps polling, so it stays in the group however slow the pipeline is); {@link
 * dev.pipeline.kafka.KafkaSink} produces a pipeline's items to a topic with a bounded number of
 * sends in flight. Offsets are not committed yet: at-least-once commits arrive with the runtime's
 * completion hook (see {@code docs/kafka.md}).
 *
 * <p>This module has no {@code module-info} (kafka-clients has none); its jar names the automatic
 * module {@code dev.pipeline.kafka}. Everything not public here is internal.
 */
package dev.pipeline.kafka;
