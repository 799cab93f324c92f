package dev.pipeline.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Scaling with the number of producers, items per second: {@code producers} sources merged into
 * one summing sink over one edge of capacity 1024; the items are split evenly among the producers.
 * {@code dsl}: {@code Pipeline.merge} of {@code producers} ranges, then {@code reduce}; {@code
 * abq}: {@code producers} plain threads into one {@code ArrayBlockingQueue(1024)}, a sink thread
 * that counts the poison pills.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ProducerScalingBenchmark {

    /** Items per invocation, all producers together. */
    static final int ITEMS = 1_000_000;

    static final int CAPACITY = 1024;

    @Param({"dsl", "abq"})
    String impl;

    @Param({"1", "2", "4", "8", "16"})
    int producers;

    private int n;

    /** Sizes the run. */
    @Setup(Level.Trial)
    public void setUp() {
        n = Bench.items(ITEMS);
    }

    /** Runs the merge once. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long producers() throws InterruptedException {
        long sum =
                switch (impl) {
                    case "dsl" -> DslPipelines.mergeSum(n, producers, CAPACITY);
                    case "abq" -> handBuilt(n, producers);
                    default -> throw new IllegalArgumentException(impl);
                };
        return Bench.check(impl, Bench.sum(n), sum);
    }

    private static final Object PILL = new Object();

    private static long handBuilt(int n, int producers) throws InterruptedException {
        var queue = new ArrayBlockingQueue<Object>(CAPACITY);
        Workers workers = new Workers(ThreadKind.platform);
        int share = n / producers;
        for (int p = 0; p < producers; p++) {
            int from = p * share;
            workers.start(
                    "producer-" + p,
                    () -> {
                        for (int i = from, end = from + share; i < end; i++) {
                            queue.put(i);
                        }
                        queue.put(PILL);
                    });
        }
        long[] sum = new long[1];
        workers.start(
                "sum",
                () -> {
                    long s = 0;
                    int ended = 0;
                    while (ended < producers) {
                        Object v = queue.take();
                        if (v == PILL) {
                            ended++;
                        } else {
                            s += (Integer) v;
                        }
                    }
                    sum[0] = s;
                });
        workers.joinAll();
        return sum[0];
    }
}
