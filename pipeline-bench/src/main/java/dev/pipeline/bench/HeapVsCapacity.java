package dev.pipeline.bench;

import dev.pipeline.Pipeline;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Peak heap against capacity with a slow consumer: a plain program, not JMH, because the quantity
 * is bytes retained, not time.
 *
 * <p>A producer sends {@code items} payloads of {@code payload} bytes as fast as it can into a
 * channel or queue; a consumer takes them and spins {@code consumerMicros} per item, so the buffer
 * fills and stays full. When the consumer has taken 1/4, 1/2 and 3/4 of the items it calls {@link
 * System#gc()} and reads the used heap: that is the live set (the buffer's contents plus the
 * harness), measured exactly, not the garbage-laden "used" figure. The result is the largest of
 * the three minus the live heap measured the same way before the run. A sampler also records the
 * peak "used" (garbage included) every 5 ms, for reference.
 *
 * <p>Expected shape: bounded channels and {@code ArrayBlockingQueue} retain about {@code capacity
 * x payload} whatever the run length; the unbounded channel and {@code LinkedBlockingQueue} retain
 * what the producer got ahead, up to {@code items x payload}.
 *
 * <p>The {@code dsl} rows measure the same shape as a pipeline: {@code range -> map (allocates the
 * payload) -> forEach (the slow consumer)}, every edge of the capacity. Besides the edge's {@code
 * capacity} payloads, a stage holds the run it took (up to 256, and at most the capacity) and the
 * outputs it has not yet published (up to 64): the expected bound is {@code (capacity +
 * min(capacity, 256) + 64) x payload}.
 *
 * <p>Usage: {@code java -Xms512m -Xmx512m -cp benchmarks.jar dev.pipeline.bench.HeapVsCapacity
 * [out.csv] [items] [payload] [consumerMicros]}; it writes CSV ({@code impl,capacity,items,
 * payload_bytes,retained_bytes,peak_used_bytes}) to the file, or to standard output.
 */
public final class HeapVsCapacity {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapVsCapacity() {}

    /**
     * Runs every configuration once and writes the CSV.
     *
     * @param args optional: output file, items, payload bytes, consumer microseconds per item
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 && !args[0].equals("-") ? Path.of(args[0]) : null;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        int micros = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        List<String> rows = new ArrayList<>();
        rows.add("impl,capacity,items,payload_bytes,retained_bytes,peak_used_bytes");
        int[] capacities = {1, 16, 256, 1024, 4096};
        for (String impl : new String[] {"pipeline", "abq"}) {
            for (int capacity : capacities) {
                rows.add(run(impl, capacity, items, payload, micros));
            }
        }
        for (int capacity : capacities) {
            rows.add(runDsl(capacity, items, payload, micros));
        }
        rows.add(run("pipeline_unbounded", -1, items, payload, micros));
        rows.add(run("lbq_unbounded", -1, items, payload, micros));
        if (out != null) {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.write(out, rows);
        }
        PrintStream console = System.out;
        rows.forEach(console::println);
    }

    /** A blocking put/take pair over one implementation. */
    private interface Buffer {
        void put(byte[] item) throws InterruptedException;

        byte[] take() throws InterruptedException;
    }

    private static Buffer buffer(String impl, int capacity) {
        return switch (impl) {
            case "pipeline", "pipeline_unbounded" -> {
                Channel<byte[]> ch = capacity < 0 ? Channel.unbounded() : Channel.bounded(capacity);
                Sender<byte[]> tx = ch.sender();
                Receiver<byte[]> rx = ch.receiver();
                yield new Buffer() {
                    @Override
                    public void put(byte[] item) throws InterruptedException {
                        tx.send(item);
                    }

                    @Override
                    public byte[] take() throws InterruptedException {
                        return rx.receive();
                    }
                };
            }
            case "abq", "lbq_unbounded" -> {
                BlockingQueue<byte[]> q =
                        capacity < 0
                                ? new LinkedBlockingQueue<>()
                                : new ArrayBlockingQueue<>(capacity);
                yield new Buffer() {
                    @Override
                    public void put(byte[] item) throws InterruptedException {
                        q.put(item);
                    }

                    @Override
                    public byte[] take() throws InterruptedException {
                        return q.take();
                    }
                };
            }
            default -> throw new IllegalArgumentException(impl);
        };
    }

    /** The {@code dsl} row: the producer and consumer of {@link #run} as a 3-stage pipeline. */
    private static String runDsl(int capacity, int items, int payload, int micros)
            throws InterruptedException {
        long before = liveHeap();
        long[] retained = new long[1];
        long[] taken = new long[1];
        long[] peakUsed = new long[1];
        Thread sampler = peakSampler(peakUsed);
        long spin = micros * 1_000L;
        Pipeline.range(0, items)
                .capacity(capacity)
                .map(
                        "payload",
                        i -> {
                            byte[] b = new byte[payload];
                            b[0] = (byte) (int) i;
                            return b;
                        })
                .capacity(capacity)
                .forEach(
                        "consumer",
                        b -> {
                            if (b.length != payload) {
                                throw new IllegalStateException("wrong payload");
                            }
                            long until = System.nanoTime() + spin;
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                            long i = ++taken[0];
                            if (i == items / 4 || i == items / 2 || i == 3L * items / 4) {
                                retained[0] = Math.max(retained[0], liveHeap() - before);
                            }
                        });
        if (taken[0] != items) {
            throw new IllegalStateException("dsl: " + taken[0] + " of " + items + " items");
        }
        stopSampler(sampler);
        return String.join(
                ",",
                "dsl",
                Integer.toString(capacity),
                Integer.toString(items),
                Integer.toString(payload),
                Long.toString(Math.max(0, retained[0])),
                Long.toString(peakUsed[0]));
    }

    private static long liveHeap() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Starts a daemon thread recording the peak used heap into {@code peakUsed[0]} every 5 ms. */
    private static Thread peakSampler(long[] peakUsed) {
        return Thread.ofPlatform()
                .daemon()
                .start(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                peakUsed[0] =
                                        Math.max(
                                                peakUsed[0], MEMORY.getHeapMemoryUsage().getUsed());
                                try {
                                    Thread.sleep(5);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
    }

    private static void stopSampler(Thread sampler) throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }

    private static String run(String impl, int capacity, int items, int payload, int micros)
            throws InterruptedException, IOException {
        Buffer buffer = buffer(impl, capacity);
        long before = liveHeap();
        long[] retained = new long[1];
        long[] peakUsed = new long[1];
        Workers workers = new Workers(ThreadKind.platform);
        workers.start(
                "producer",
                () -> {
                    for (int i = 0; i < items; i++) {
                        byte[] b = new byte[payload];
                        b[0] = (byte) i;
                        buffer.put(b);
                    }
                });
        workers.start(
                "consumer",
                () -> {
                    long spin = micros * 1_000L;
                    for (int i = 1; i <= items; i++) {
                        byte[] b = buffer.take();
                        if (b.length != payload) {
                            throw new IllegalStateException("wrong payload");
                        }
                        long until = System.nanoTime() + spin;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        if (i == items / 4 || i == items / 2 || i == 3 * items / 4) {
                            retained[0] = Math.max(retained[0], liveHeap() - before);
                        }
                    }
                });
        Thread sampler = peakSampler(peakUsed);
        workers.joinAll();
        stopSampler(sampler);
        return String.join(
                ",",
                impl,
                capacity < 0 ? "unbounded" : Integer.toString(capacity),
                Integer.toString(items),
                Integer.toString(payload),
                Long.toString(Math.max(0, retained[0])),
                Long.toString(peakUsed[0]));
    }
}
