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

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Scaling with the number of stages, items per second: {@code generate -> stages x map(x + 1) ->
 * sum} on platform threads, capacity 1024. {@code dsl}: the DSL; {@code abq}: plain threads and
 * {@code ArrayBlockingQueue}s. On 2 cores, past two or three stages the threads share the cores,
 * so this shows the cost per hand-off as much as any parallelism.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StageScalingBenchmark {

    /** Items per invocation. */
    static final int ITEMS = 100_000;

    static final int CAPACITY = 1024;

    @Param({"dsl", "abq"})
    String impl;

    @Param({"1", "2", "4", "8", "16", "32", "64"})
    int stages;

    private int n;
    private List<UnaryOperator<Object>> maps;

    /** Sizes the run. */
    @Setup(Level.Trial)
    public void setUp() {
        n = Bench.items(ITEMS);
        maps = Collections.nCopies(stages, StageScalingBenchmark::increment);
    }

    static Object increment(Object x) {
        return ((Number) x).longValue() + 1;
    }

    /** Runs the chain once. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long stages() throws InterruptedException {
        long sum =
                switch (impl) {
                    case "dsl" -> DslPipelines.incrementChain(n, stages, CAPACITY);
                    case "abq" -> HandBuilt.chain("abq", ThreadKind.platform, CAPACITY, n, maps);
                    default -> throw new IllegalArgumentException(impl);
                };
        return Bench.check(impl, Bench.sum(n) + (long) n * stages, sum);
    }
}
