package dev.pipeline.bench;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Single producer to single consumer, each side using its library's bulk API: the way to amortise
 * hand-offs when items come in groups ("moving items in chunks where the channel is not empty").
 *
 * <p>{@code pipeline}: the producer sends groups of {@value #GROUP} with {@code Sender.sendAll}
 * (one CAS claims a run of free slots), the consumer takes what is ready with {@code
 * Receiver.receiveBatch(256)} (one CAS claims a run of published slots). {@code abq} (the
 * baseline): {@code ArrayBlockingQueue(1024)} has no bulk put, so the producer puts each item (one
 * lock each), and the consumer takes one item then {@code drainTo}s up to 255 more under one lock.
 * Same items, same checksum as {@link ChannelThroughputBenchmark#spsc()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChannelBatchBenchmark {

    /** Items moved by one invocation. */
    static final int ITEMS = 1_000_000;

    /** Items per bulk send. */
    static final int GROUP = 64;

    @Param({"pipeline", "abq"})
    String impl;

    private Long[] items;
    private List<List<Long>> groups;

    /** Boxes the items and cuts them into groups once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        items = Bench.boxes(Bench.items(ITEMS));
        List<Long> all = Arrays.asList(items);
        groups = new ArrayList<>();
        for (int i = 0; i < all.size(); i += GROUP) {
            groups.add(all.subList(i, Math.min(all.size(), i + GROUP)));
        }
    }

    /** One producer, one consumer, bulk calls on both sides. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long spscBatch() throws InterruptedException {
        return impl.equals("pipeline") ? pipeline() : abq();
    }

    private long pipeline() throws InterruptedException {
        Channel<Long> ch = Channel.bounded(1024);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        Workers workers = new Workers(ThreadKind.platform);
        long[] sum = new long[1];
        workers.start(
                "producer",
                () -> {
                    try (tx) {
                        for (List<Long> g : groups) {
                            tx.sendAll(g);
                        }
                    }
                });
        workers.start(
                "consumer",
                () -> {
                    long s = 0;
                    try (rx) {
                        for (int got = 0; got < items.length; ) {
                            List<Long> batch = rx.receiveBatch(256);
                            for (int i = 0, n = batch.size(); i < n; i++) {
                                s += batch.get(i);
                            }
                            got += batch.size();
                        }
                    }
                    sum[0] = s;
                });
        workers.joinAll();
        return Bench.check("pipeline batch", Bench.sum(items.length), sum[0]);
    }

    private long abq() throws InterruptedException {
        ArrayBlockingQueue<Long> q = new ArrayBlockingQueue<>(1024);
        Workers workers = new Workers(ThreadKind.platform);
        long[] sum = new long[1];
        workers.start(
                "producer",
                () -> {
                    for (Long item : items) {
                        q.put(item);
                    }
                });
        workers.start(
                "consumer",
                () -> {
                    long s = 0;
                    List<Long> batch = new ArrayList<>(256);
                    for (int got = 0; got < items.length; ) {
                        batch.add(q.take());
                        q.drainTo(batch, 255);
                        for (int i = 0, n = batch.size(); i < n; i++) {
                            s += batch.get(i);
                        }
                        got += batch.size();
                        batch.clear();
                    }
                    sum[0] = s;
                });
        workers.joinAll();
        return Bench.check("abq batch", Bench.sum(items.length), sum[0]);
    }
}
