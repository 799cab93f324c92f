/**
 * The log aggregator: {@link dev.pipeline.logs.LogAggregator}, the command line that reads log files
 * of the formats it knows (detected per file), normalises and filters their entries and writes one
 * stream with a dead-letter file and a report, from files or a Kafka topic; {@link
 * dev.pipeline.logs.SampleLogs}, sample inputs; {@link dev.pipeline.logs.LogEntries}, a file split
 * into entries as the aggregator reads them (for shippers).
 *
 * <p>Everything else is package-private: the formats and their hand-written scanners ({@code
 * Format}, {@code Scan}, {@code Detector}), the chunked reading ({@code FileRanges}, {@code
 * InputReader} for {@code --follow}), the parse stage ({@code ChunkParser}), the writer ({@code
 * OutputWriter}), the JSON reader and writer ({@code Json}), the Kafka mode ({@code KafkaMode}, the
 * one class that names kafka-clients, so that a file run loads none of it). The pipeline itself is built with
 * {@code dev.pipeline.Pipeline}; this package adds no stage kind to it. See {@code
 * docs/log-aggregator.md} and ADR 12.
 */
package dev.pipeline.logs;
