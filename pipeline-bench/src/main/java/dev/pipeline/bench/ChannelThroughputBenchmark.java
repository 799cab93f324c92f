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
 * Channel throughput, items per second, for three topologies: one producer to one consumer, four
 * producers to one consumer, two producers to two consumers (targets: docs/performance.md).
 *
 * <p>One invocation moves {@value #ITEMS} pre-boxed {@code Long}s end to end: the producers split
 * them evenly, each consumer takes exactly its share (no close or poison pill is needed, so every
 * implementation does the same work), and the consumers' sums are checked against the expected
 * total. Threads are started and joined per invocation (see {@link Workers} for why that is fair).
 * A score is items/s; the report divides it by the {@code abq} score of the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChannelThroughputBenchmark {

    /** Items moved by one invocation. */
    static final int ITEMS = 1_000_000;

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
        items = Bench.boxes(Bench.items(ITEMS));
    }

    /** One producer, one consumer. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long spsc() throws InterruptedException {
        return run(1, 1);
    }

    /** Four producers, one consumer. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long mpsc4to1() throws InterruptedException {
        return run(4, 1);
    }

    /** Two producers, two consumers: each item goes to one of them. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long mpmc2to2() throws InterruptedException {
        return run(2, 2);
    }

    private long run(int producers, int consumers) throws InterruptedException {
        final Long[] items = this.items;
        final int n = items.length;
        Pipe pipe = Pipe.create(impl, capacity, producers, consumers);
        Workers workers = new Workers(threads);
        long[] sums = new long[consumers];
        // Every endpoint before any thread starts: a fast thread may close its handle, and a
        // pipeline handle cannot be copied from a closed one.
        Pipe.Out[] outs = new Pipe.Out[producers];
        for (int p = 0; p < producers; p++) {
            outs[p] = pipe.out();
        }
        Pipe.In[] ins = new Pipe.In[consumers];
        for (int c = 0; c < consumers; c++) {
            ins[c] = pipe.in();
        }
        int share = n / producers;
        for (int p = 0; p < producers; p++) {
            Pipe.Out out = outs[p];
            int from = p * share;
            workers.start(
                    "producer-" + p,
                    () -> {
                        for (int i = from, end = from + share; i < end; i++) {
                            out.put(items[i]);
                        }
                        out.close();
                    });
        }
        int take = n / consumers;
        for (int c = 0; c < consumers; c++) {
            Pipe.In in = ins[c];
            int slot = c;
            workers.start(
                    "consumer-" + c,
                    () -> {
                        long sum = 0;
                        for (int i = 0; i < take; i++) {
                            sum += in.take();
                        }
                        sums[slot] = sum;
                        in.close();
                    });
        }
        workers.joinAll();
        long total = 0;
        for (long s : sums) {
            total += s;
        }
        return Bench.check(impl + " " + producers + "->" + consumers, Bench.sum(n), total);
    }
}
