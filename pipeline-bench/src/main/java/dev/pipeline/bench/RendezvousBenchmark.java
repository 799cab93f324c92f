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
 * Rendezvous hand-off, items per second, one producer to one consumer: every send waits for its
 * receiver. {@code pipeline}: {@code Channel.rendezvous()}; {@code jox}: {@code
 * newRendezvousChannel()}; {@code sq}: {@link java.util.concurrent.SynchronousQueue}, the JDK's
 * rendezvous; {@code abq}: {@code ArrayBlockingQueue(1)}, the nearest the baseline has (it lets the
 * producer run one item ahead, so it is not strictly a rendezvous). JCTools has no rendezvous queue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RendezvousBenchmark {

    /** Items handed off by one invocation (a rendezvous is slow: fewer than the buffered runs). */
    static final int ITEMS = 100_000;

    @Param({"pipeline", "abq", "sq", "jox"})
    Impl impl;

    @Param({"platform", "virtual"})
    ThreadKind threads;

    private Long[] items;

    /** Boxes the items once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        items = Bench.boxes(Bench.items(ITEMS));
    }

    /** One producer hands every item to one consumer. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long handOff() throws InterruptedException {
        final Long[] items = this.items;
        Pipe pipe = Pipe.create(impl, 0, 1, 1);
        Workers workers = new Workers(threads);
        Pipe.Out out = pipe.out();
        Pipe.In in = pipe.in();
        long[] sum = new long[1];
        workers.start(
                "producer",
                () -> {
                    for (Long item : items) {
                        out.put(item);
                    }
                    out.close();
                });
        workers.start(
                "consumer",
                () -> {
                    long s = 0;
                    for (int i = 0; i < items.length; i++) {
                        s += in.take();
                    }
                    sum[0] = s;
                    in.close();
                });
        workers.joinAll();
        return Bench.check(impl + " rendezvous", Bench.sum(items.length), sum[0]);
    }
}
