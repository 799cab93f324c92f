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
 * A 5-stage pipeline with an order-keeping parallel map on {@value #WORKERS} workers over a
 * CPU-heavier function, items per second:
 *
 * <pre>generate 0..N-1 -> widen (int to long) -> heavy (x4, in order) -> low16 -> order hash</pre>
 *
 * <p>The sink folds an order-sensitive hash ({@code h = 31 * h + v}), checked against a sequential
 * run, so an implementation that reorders fails instead of scoring. {@code dsl}: {@code
 * mapParallel(4, fn)}; {@code abq}: the hand-built equivalent with plain threads and {@code
 * ArrayBlockingQueue(1024)}s: the widen stage deals items round-robin to four worker inboxes and
 * the next stage collects the outboxes in the same round-robin order, which keeps order with no
 * reordering buffer. On a 2-core machine the four workers share two cores: expect the speed-up of
 * the parallel stage to be capped by the core count, for both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParallelMapPipelineBenchmark {

    /** Items per invocation. */
    static final int ITEMS = 200_000;

    /** Workers of the parallel stage. */
    static final int WORKERS = 4;

    static final int CAPACITY = 1024;

    @Param({"dsl", "dsl_virtual", "abq"})
    String impl;

    /** Rounds of {@link Work#heavy}: the cost of the parallel stage's function. */
    @Param({"200"})
    int rounds;

    private int n;
    private long expected;

    /** Computes the expected hash sequentially. */
    @Setup(Level.Trial)
    public void setUp() {
        n = Bench.items(ITEMS);
        long h = 0;
        for (int i = 0; i < n; i++) {
            h = 31 * h + low16(Work.heavy(i, rounds));
        }
        expected = h;
    }

    static long low16(long x) {
        return x & 0xFFFF;
    }

    /** Runs the pipeline once. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long parallelMap() throws InterruptedException {
        long h =
                switch (impl) {
                    case "dsl" -> DslPipelines.parallelMap(n, WORKERS, rounds, false);
                    case "dsl_virtual" -> DslPipelines.parallelMap(n, WORKERS, rounds, true);
                    case "abq" -> handBuilt(n, rounds);
                    default -> throw new IllegalArgumentException(impl);
                };
        return Bench.check(impl, expected, h);
    }

    private static final Object PILL = new Object();

    @SuppressWarnings("unchecked")
    private static long handBuilt(int n, int rounds) throws InterruptedException {
        var generated = new ArrayBlockingQueue<Object>(CAPACITY);
        ArrayBlockingQueue<Object>[] inbox = new ArrayBlockingQueue[WORKERS];
        ArrayBlockingQueue<Object>[] outbox = new ArrayBlockingQueue[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            inbox[w] = new ArrayBlockingQueue<>(CAPACITY);
            outbox[w] = new ArrayBlockingQueue<>(CAPACITY);
        }
        var folded = new ArrayBlockingQueue<Object>(CAPACITY);
        Workers workers = new Workers(ThreadKind.platform);
        workers.start(
                "generate",
                () -> {
                    for (int i = 0; i < n; i++) {
                        generated.put(i);
                    }
                    generated.put(PILL);
                });
        workers.start(
                "widen",
                () -> {
                    int next = 0;
                    for (Object v; (v = generated.take()) != PILL; ) {
                        inbox[next].put((long) (Integer) v);
                        next = next == WORKERS - 1 ? 0 : next + 1;
                    }
                    for (var q : inbox) {
                        q.put(PILL);
                    }
                });
        for (int w = 0; w < WORKERS; w++) {
            var in = inbox[w];
            var out = outbox[w];
            workers.start(
                    "heavy-" + w,
                    () -> {
                        for (Object v; (v = in.take()) != PILL; ) {
                            out.put(Work.heavy((Long) v, rounds));
                        }
                        out.put(PILL);
                    });
        }
        workers.start(
                "low16",
                () -> {
                    int next = 0;
                    for (Object v; (v = outbox[next].take()) != PILL; ) {
                        folded.put(low16((Long) v));
                        next = next == WORKERS - 1 ? 0 : next + 1;
                    }
                    folded.put(PILL);
                });
        long[] hash = new long[1];
        workers.start(
                "hash",
                () -> {
                    long h = 0;
                    for (Object v; (v = folded.take()) != PILL; ) {
                        h = 31 * h + (Long) v;
                    }
                    hash[0] = h;
                });
        workers.joinAll();
        return hash[0];
    }
}
