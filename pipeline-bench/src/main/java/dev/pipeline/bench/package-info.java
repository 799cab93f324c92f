/**
 * JMH benchmarks of pipeline's channels and pipelines against JDK queues and peer libraries.
 *
 * <p>Every benchmark class has an {@code impl} parameter whose value {@code abq} (plain threads and
 * {@link java.util.concurrent.ArrayBlockingQueue}) is the baseline of the same run; reports give
 * ratios against it. Helpers here ({@link dev.pipeline.bench.Workers}, {@link
 * dev.pipeline.bench.SpinParkQueue}, {@link dev.pipeline.bench.Pipe}) are shared plumbing, not API.
 * {@link dev.pipeline.bench.HeapVsCapacity} is a plain main program (heap is not a JMH score).
 */
package dev.pipeline.bench;
