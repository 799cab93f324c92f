/**
 * Runnable examples, one small class per scenario of the channels guide, and {@link
 * dev.pipeline.examples.Examples}, the launcher that lists them and runs one by name.
 *
 * <p>The channel examples (hello, stream, producers, backpressure, errors, polling, commands,
 * workers, shared-state, select) use {@code dev.pipeline.channel} and plain threads; squares shows
 * the same pipeline with channels and with the DSL; log-aggregator and checksums are real programs
 * on the DSL. Each prints what it teaches and is smoke-tested in-process.
 */
package dev.pipeline.examples;
