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
 * A chain of {@code stages} identity maps on virtual threads (1,000 by default), items per second
 * through the whole chain: what a thread per stage costs when stages are many and cheap.
 * {@code dsl}: {@code range} + {@code stages} x {@code map(identity)} + {@code reduce}, with
 * virtual threads; {@code abq}: the same by hand, one virtual thread per stage and {@code
 * ArrayBlockingQueue}s (whose {@code ReentrantLock} parks virtual threads without pinning).
 * Each edge has capacity {@value #CAPACITY}: with a thousand edges the buffers, not the items,
 * would otherwise dominate the heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LongChainBenchmark {

    /** Items per invocation (each crosses every stage). */
    static final int ITEMS = 10_000;

    static final int CAPACITY = 64;

    @Param({"dsl", "abq"})
    String impl;

    @Param({"1000"})
    int stages;

    private int n;
    private List<UnaryOperator<Object>> maps;

    /** Sizes the run. */
    @Setup(Level.Trial)
    public void setUp() {
        n = Bench.items(ITEMS);
        maps = Collections.nCopies(stages, UnaryOperator.identity());
    }

    /** Runs the chain once. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long chain() throws InterruptedException {
        long sum =
                switch (impl) {
                    case "dsl" -> DslPipelines.identityChain(n, stages, CAPACITY, true);
                    case "abq" -> HandBuilt.chain("abq", ThreadKind.virtual, CAPACITY, n, maps);
                    default -> throw new IllegalArgumentException(impl);
                };
        return Bench.check(impl, Bench.sum(n), sum);
    }
}
