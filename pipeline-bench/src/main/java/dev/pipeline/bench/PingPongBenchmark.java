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

import java.util.concurrent.TimeUnit;

/**
 * Round-trip latency, nanoseconds per round trip: a pinger sends an item on one channel, a ponger
 * sends it back on a second, {@value #ROUNDS} times per invocation. At most one item is ever in
 * flight, so every hand-off wakes the other side: this measures the blocking/wake-up path, where
 * the buffered throughput benchmarks mostly measure the fast path. Lower is better.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PingPongBenchmark {

    /** Round trips per invocation. */
    static final int ROUNDS = 100_000;

    @Param({"pipeline", "abq", "jox", "jctools"})
    Impl impl;

    @Param({"platform", "virtual"})
    ThreadKind threads;

    @Param({"1024"})
    int capacity;

    private Long[] items;

    /** Boxes the items once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        items = Bench.boxes(Bench.items(ROUNDS));
    }

    /** {@value #ROUNDS} round trips. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public long roundTrip() throws InterruptedException {
        final Long[] items = this.items;
        Pipe ping = Pipe.create(impl, capacity, 1, 1);
        Pipe pong = Pipe.create(impl, capacity, 1, 1);
        Pipe.Out pingOut = ping.out();
        Pipe.In pingIn = ping.in();
        Pipe.Out pongOut = pong.out();
        Pipe.In pongIn = pong.in();
        long[] sum = new long[1];
        Workers workers = new Workers(threads);
        workers.start(
                "ponger",
                () -> {
                    for (int i = 0; i < items.length; i++) {
                        pongOut.put(pingIn.take());
                    }
                    pongOut.close();
                    pingIn.close();
                });
        workers.start(
                "pinger",
                () -> {
                    long s = 0;
                    for (Long item : items) {
                        pingOut.put(item);
                        s += pongIn.take();
                    }
                    sum[0] = s;
                    pingOut.close();
                    pongIn.close();
                });
        workers.joinAll();
        return Bench.check(impl + " ping-pong", Bench.sum(items.length), sum[0]);
    }
}
