/**
 * Runnable examples, one small class per scenario of the channels guide, and {@link
 * dev.pipeline.examples.Examples}, the launcher that lists them and runs one by name.
 *
 * <p>The channel examples (hello, stream, producers, backpressure, errors, polling, commands,
 * workers, shared-state, select) use {@code dev.pipeline.channel} and plain threads; squares shows
 * the same pipeline with channels and with the DSL; checksums is a real program on the DSL, and
 * log-aggregator runs the aggregator of {@code pipeline-logs} ({@code dev.pipeline.logs}). Each
 * prints what it teaches and is smoke-tested in-process.
 */
package dev.pipeline.examples;
