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

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Scaling with channel capacity, items per second: the 3-stage {@code generate -> square -> sum}
 * with every edge of {@code capacity}. {@code dsl}: the DSL with that capacity; {@code channels}:
 * hand-built on {@code Channel.bounded(capacity)}; {@code abq}: hand-built on {@code
 * ArrayBlockingQueue(capacity)}. Small capacities make every hand-off a wake-up; large ones let
 * stages run in bursts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CapacityScalingBenchmark {

    /** Items per invocation (capacity 1 is slow: every item is a wake-up). */
    static final int ITEMS = 200_000;

    @Param({"dsl", "channels", "abq"})
    String impl;

    @Param({"1", "4", "16", "64", "256", "1024", "4096"})
    int capacity;

    private int n;

    /** Sizes the run. */
    @Setup(Level.Trial)
    public void setUp() {
        n = Bench.items(ITEMS);
    }

    /** Runs the pipeline once. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long capacity() throws InterruptedException {
        long sum =
                switch (impl) {
                    case "dsl" -> DslPipelines.squareSum(n, capacity, false);
                    default ->
                            HandBuilt.chain(
                                    impl,
                                    ThreadKind.platform,
                                    capacity,
                                    n,
                                    List.<UnaryOperator<Object>>of(Work::squareBoxed));
                };
        return Bench.check(impl, Bench.sumOfSquares(n), sum);
    }
}
