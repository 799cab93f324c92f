package dev.pipeline.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Chunked sends and receives ({@link Engine}, the ring's one-CAS runs) mixed with single
 * ones, many producers and consumers: every item arrives exactly once, and each consumer sees each
 * producer's items in the order they were sent.
 */
@Tag("stress")
class ChunkedTransferStressTest {
    private static final int SCALE = Integer.getInteger("pipeline.stress.scale", 1);

    @ParameterizedTest(name = "{0} producers x {1} consumers, capacity {2}")
    @CsvSource({
        "1, 1, 1",
        "1, 1, 2",
        "1, 1, 3",
        "1, 1, 1024",
        "4, 1, 16",
        "1, 4, 16",
        "2, 2, 7",
        "4, 4, 64",
        "2, 2, 0",
        "3, 3, 2147483647"
    })
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyItemArrivesOnceAndInProducerOrder(int producers, int consumers, int capacity)
            throws Exception {
        int perProducer = 50_000 * SCALE;
        Channel<Long> ch =
                capacity == Channel.UNBOUNDED ? Channel.unbounded() : Channel.bounded(capacity);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        List<List<Long>> received = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Sender<Long> mine = tx.copy();
            long base = (long) p << 32;
            long seed = p;
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        SplittableRandom random = new SplittableRandom(seed);
                                        Object[] chunk = new Object[64];
                                        try (mine) {
                                            int i = 0;
                                            while (i < perProducer) {
                                                if (random.nextBoolean()) {
                                                    mine.send(base + i++);
                                                    continue;
                                                }
                                                int k =
                                                        Math.min(
                                                                1 + random.nextInt(64),
                                                                perProducer - i);
                                                for (int j = 0; j < k; j++) {
                                                    chunk[j] = base + i++;
                                                }
                                                Engine.output(mine).sendBatch(chunk, 0, k);
                                            }
                                        } catch (Throwable t) {
                                            failures.add(t);
                                        }
                                    }));
        }
        tx.close();
        for (int c = 0; c < consumers; c++) {
            Receiver<Long> mine = rx.copy();
            List<Long> got = new ArrayList<>();
            received.add(got);
            long seed = 100 + c;
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        SplittableRandom random = new SplittableRandom(seed);
                                        Object[] chunk = new Object[64];
                                        try (mine) {
                                            for (; ; ) {
                                                if (random.nextBoolean()) {
                                                    int k =
                                                            Engine.input(mine)
                                                                    .receiveBatch(
                                                                            chunk,
                                                                            1 + random.nextInt(64));
                                                    if (k < 0) {
                                                        return;
                                                    }
                                                    for (int j = 0; j < k; j++) {
                                                        got.add((Long) chunk[j]);
                                                    }
                                                } else {
                                                    var r =
                                                            mine.receive(
                                                                    java.time.Duration.ofSeconds(
                                                                            30));
                                                    if (r
                                                            instanceof
                                                            dev.pipeline.channel.ReceiveResult
                                                                            .Received<
                                                                    Long>(var v)) {
                                                        got.add(v);
                                                    } else {
                                                        return;
                                                    }
                                                }
                                            }
                                        } catch (Throwable t) {
                                            failures.add(t);
                                        }
                                    }));
        }
        rx.close();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(50));
            assertThat(t.isAlive()).as("thread %s ended", t).isFalse();
        }
        assertThat(failures).isEmpty();

        long total = 0;
        java.util.BitSet[] seen = new java.util.BitSet[producers];
        for (int p = 0; p < producers; p++) {
            seen[p] = new java.util.BitSet(perProducer);
        }
        for (List<Long> got : received) {
            long[] last = new long[producers];
            java.util.Arrays.fill(last, -1);
            for (long v : got) {
                int p = (int) (v >>> 32);
                int i = (int) v;
                assertThat(i).as("order of producer %s", p).isGreaterThan((int) last[p]);
                last[p] = i;
                assertThat(seen[p].get(i)).as("duplicate %s/%s", p, i).isFalse();
                seen[p].set(i);
                total++;
            }
        }
        assertThat(total).isEqualTo((long) producers * perProducer);
        assertThat(ch.stats().sent()).isEqualTo(total);
        assertThat(ch.stats().received()).isEqualTo(total);
    }
}
