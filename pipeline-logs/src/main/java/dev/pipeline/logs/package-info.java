/**
 * The log aggregator: {@link dev.pipeline.logs.LogAggregator}, the command line that reads log files
 * of the formats it knows (detected per file), normalises and filters their entries and writes one
 * stream with a dead-letter file and a report; {@link dev.pipeline.logs.SampleLogs}, sample inputs.
 *
 * <p>Everything else is package-private: the formats and their hand-written scanners ({@code
 * Format}, {@code Scan}, {@code Detector}), the chunked reading ({@code FileRanges}, {@code
 * InputReader} for {@code --follow}), the parse stage ({@code ChunkParser}), the writer ({@code
 * OutputWriter}), the JSON reader and writer ({@code Json}). The pipeline itself is built with
 * {@code dev.pipeline.Pipeline}; this package adds no stage kind to it. See {@code
 * docs/log-aggregator.md} and ADR 12.
 */
package dev.pipeline.logs;
