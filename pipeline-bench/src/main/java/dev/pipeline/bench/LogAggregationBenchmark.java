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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The log-aggregation shape, lines per second: {@value #PRODUCERS} producers emit log lines, one
 * stage parses each line, one stage batches 256 parsed records, one sink consumes the batches.
 *
 * <p>Lines come from a pool of {@value #POOL} pre-formatted strings (line {@code i} is {@code
 * pool[i % POOL]}), so producing costs no formatting and the heap holds no million strings; parsing
 * is real (find a field, {@code Integer.parseInt} over a sub-range). The sink checks the count and
 * the sum of the parsed latencies. {@code dsl}: {@code Pipeline.merge(4 sources).map("parse",
 * ...).batch(256).forEach(...)}; {@code abq}: 4 producer threads into one {@code
 * ArrayBlockingQueue(1024)}, a parse thread that counts four poison pills, a batch thread, a sink
 * thread (7 threads, the same as the DSL's stages).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LogAggregationBenchmark {

    /** Lines per invocation. */
    static final int ITEMS = 1_000_000;

    static final int PRODUCERS = 4;
    static final int POOL = 4096;
    static final int BATCH = 256;
    static final int CAPACITY = 1024;

    @Param({"dsl", "dsl_virtual", "abq"})
    String impl;

    private int n;
    private String[] pool;
    private long expected;

    /** Formats the line pool and the expected checksum. */
    @Setup(Level.Trial)
    public void setUp() {
        n = Bench.items(ITEMS);
        pool = new String[POOL];
        for (int i = 0; i < POOL; i++) {
            pool[i] =
                    "2026-11-28T02:31:"
                            + (10 + i % 50)
                            + "."
                            + (100 + i % 900)
                            + "Z INFO svc-"
                            + (i % 7)
                            + " GET /api/items/"
                            + i
                            + " status=200 took="
                            + (i * 37 % 1000)
                            + "ms";
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += parse(pool[i % POOL]);
        }
        expected = checksum(n, sum);
    }

    /** The parse stage: the request latency of a line, in ms. */
    static int parse(String line) {
        int from = line.lastIndexOf('=') + 1;
        int to = line.length() - 2; // "ms"
        return Integer.parseInt(line, from, to, 10);
    }

    /** Combines a count and a sum into one number to check. */
    static long checksum(long count, long sum) {
        return count * 1_000_003L + sum;
    }

    /** Runs the shape once over {@value #ITEMS} lines. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long logAggregation() throws InterruptedException {
        long c =
                switch (impl) {
                    case "dsl" -> DslPipelines.logAggregation(pool, n, PRODUCERS, BATCH, false);
                    case "dsl_virtual" ->
                            DslPipelines.logAggregation(pool, n, PRODUCERS, BATCH, true);
                    case "abq" -> handBuilt(pool, n);
                    default -> throw new IllegalArgumentException(impl);
                };
        return Bench.check(impl, expected, c);
    }

    private static final Object PILL = new Object();

    private static long handBuilt(String[] pool, int n) throws InterruptedException {
        var lines = new ArrayBlockingQueue<Object>(CAPACITY);
        var parsed = new ArrayBlockingQueue<Object>(CAPACITY);
        var batches = new ArrayBlockingQueue<Object>(CAPACITY);
        Workers workers = new Workers(ThreadKind.platform);
        int share = n / PRODUCERS;
        for (int p = 0; p < PRODUCERS; p++) {
            int from = p * share;
            workers.start(
                    "producer-" + p,
                    () -> {
                        for (int i = from, end = from + share; i < end; i++) {
                            lines.put(pool[i % POOL]);
                        }
                        lines.put(PILL);
                    });
        }
        workers.start(
                "parse",
                () -> {
                    int ended = 0;
                    while (ended < PRODUCERS) {
                        Object v = lines.take();
                        if (v == PILL) {
                            ended++;
                        } else {
                            parsed.put(parse((String) v));
                        }
                    }
                    parsed.put(PILL);
                });
        workers.start(
                "batch",
                () -> {
                    List<Integer> batch = new ArrayList<>(BATCH);
                    for (Object v; (v = parsed.take()) != PILL; ) {
                        batch.add((Integer) v);
                        if (batch.size() == BATCH) {
                            batches.put(batch);
                            batch = new ArrayList<>(BATCH);
                        }
                    }
                    if (!batch.isEmpty()) {
                        batches.put(batch);
                    }
                    batches.put(PILL);
                });
        long[] result = new long[1];
        workers.start(
                "sink",
                () -> {
                    long count = 0;
                    long sum = 0;
                    for (Object v; (v = batches.take()) != PILL; ) {
                        @SuppressWarnings("unchecked")
                        List<Integer> batch = (List<Integer>) v;
                        count += batch.size();
                        for (Integer latency : batch) {
                            sum += latency;
                        }
                    }
                    result[0] = checksum(count, sum);
                });
        workers.joinAll();
        return result[0];
    }
}
