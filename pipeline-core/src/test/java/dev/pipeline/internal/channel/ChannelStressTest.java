package dev.pipeline.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Select;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * N producers x M consumers over every flavour, with closes, receiver closes and interrupts at
 * random moments, every send and receive form mixed. Asserts: the items received (plus those left
 * in the channel) are exactly the items accepted (a send that returned normally or {@code Sent});
 * nothing duplicated; each consumer sees each producer's items in the order sent; no thread left.
 *
 * <p>Size: {@code -Dpipeline.stress.scale=N} multiplies the items per producer (default 1).
 */
@Tag("stress")
@Timeout(60)
class ChannelStressTest {

    private static final int SCALE = Integer.getInteger("pipeline.stress.scale", 1);
    private static final int ITEMS_PER_PRODUCER = 1_500 * SCALE;

    /** What disturbs the run. */
    enum Chaos {
        /** Producers stop (close, one may fail the channel) at random moments. */
        CLOSE,
        /** Consumers close their receivers at random moments. */
        RECEIVER_CLOSE,
        /** Producers and consumers are interrupted at random moments. */
        INTERRUPT
    }

    static Stream<Arguments> cases() {
        int[][] topologies = {{1, 1}, {4, 1}, {1, 4}, {2, 2}, {4, 4}};
        int[] capacities = {0, 1, 2, 16, 1024, Channel.UNBOUNDED};
        List<Arguments> all = new ArrayList<>();
        for (Chaos chaos : Chaos.values()) {
            for (int[] t : topologies) {
                for (int c : capacities) {
                    all.add(Arguments.of(t[0], t[1], c, chaos));
                }
            }
        }
        return all.stream();
    }

    private static long item(int producer, int seq) {
        return ((long) producer << 32) | seq;
    }

    @ParameterizedTest(name = "{0}x{1} capacity {2} {3}")
    @MethodSource("cases")
    void nothingLostNothingDuplicatedOrderKept(
            int producers, int consumers, int capacity, Chaos chaos) throws Exception {
        Channel<Long> ch =
                capacity == Channel.UNBOUNDED ? Channel.unbounded() : Channel.bounded(capacity);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        ChannelCore<Long> core = ((SenderHandle<Long>) tx).core;
        long seed = ThreadLocalRandom.current().nextLong();
        SplittableRandom seeds = new SplittableRandom(seed);

        List<List<Long>> accepted = new ArrayList<>();
        List<List<Long>> received = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> producerThreads = new ArrayList<>();
        List<Thread> consumerThreads = new ArrayList<>();

        for (int c = 0; c < consumers; c++) {
            List<Long> mine = new ArrayList<>();
            received.add(mine);
            Receiver<Long> r = rx.copy();
            SplittableRandom rnd = seeds.split();
            int stopAfter =
                    chaos == Chaos.RECEIVER_CLOSE
                            ? rnd.nextInt(ITEMS_PER_PRODUCER * producers / consumers + 1)
                            : Integer.MAX_VALUE;
            consumerThreads.add(
                    Thread.ofPlatform()
                            .name("consumer-" + c)
                            .start(() -> guard(failures, () -> consume(r, rnd, mine, stopAfter))));
        }
        rx.close();
        for (int p = 0; p < producers; p++) {
            List<Long> mine = new ArrayList<>();
            accepted.add(mine);
            Sender<Long> s = tx.copy();
            SplittableRandom rnd = seeds.split();
            int id = p;
            int stopAt =
                    chaos == Chaos.CLOSE ? rnd.nextInt(ITEMS_PER_PRODUCER + 1) : ITEMS_PER_PRODUCER;
            boolean failIt = chaos == Chaos.CLOSE && p == 0 && rnd.nextBoolean();
            producerThreads.add(
                    Thread.ofPlatform()
                            .name("producer-" + p)
                            .start(
                                    () ->
                                            guard(
                                                    failures,
                                                    () ->
                                                            produce(
                                                                    s, id, rnd, mine, stopAt,
                                                                    failIt, chaos))));
        }
        tx.close();

        AtomicBoolean producing = new AtomicBoolean(true);
        Thread chaosThread = null;
        if (chaos == Chaos.INTERRUPT) {
            List<Thread> targets = new ArrayList<>(producerThreads);
            targets.addAll(consumerThreads);
            SplittableRandom rnd = seeds.split();
            chaosThread =
                    Thread.ofPlatform()
                            .name("interrupter")
                            .start(
                                    () -> {
                                        while (producing.get()) {
                                            targets.get(rnd.nextInt(targets.size())).interrupt();
                                            LockSupportPause.pause(rnd.nextInt(200_000));
                                        }
                                    });
        }

        joinAll(producerThreads, "producers", seed);
        producing.set(false);
        if (chaosThread != null) {
            chaosThread.join(10_000);
            assertThat(chaosThread.isAlive()).isFalse();
        }
        joinAll(consumerThreads, "consumers", seed);
        assertThat(failures).as("worker failures, seed %s", seed).isEmpty();

        // items still in the channel were accepted and not lost: take them straight from the core
        List<Long> leftover = new ArrayList<>();
        Long e;
        while ((e = core.poll()) != null) {
            leftover.add(e);
        }

        Map<Long, Integer> counts = new HashMap<>();
        for (List<Long> l : received) {
            l.forEach(v -> counts.merge(v, 1, Integer::sum));
        }
        leftover.forEach(v -> counts.merge(v, 1, Integer::sum));
        List<Long> duplicated =
                counts.entrySet().stream()
                        .filter(x -> x.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(duplicated).as("duplicated, seed %s", seed).isEmpty();
        List<Long> acceptedAll = accepted.stream().flatMap(List::stream).toList();
        if (chaos == Chaos.RECEIVER_CLOSE) {
            // every receiver closed: what they did not take was released with the buffer
            assertThat(leftover).as("left referenced, seed %s", seed).isEmpty();
            assertThat(acceptedAll)
                    .as("received within accepted, seed %s", seed)
                    .containsAll(counts.keySet());
        } else {
            assertThat(counts.keySet())
                    .as("received + leftover == accepted, seed %s", seed)
                    .containsExactlyInAnyOrderElementsOf(acceptedAll);
        }
        for (List<Long> l : received) {
            long[] last = new long[producers];
            java.util.Arrays.fill(last, -1);
            for (long v : l) {
                int p = (int) (v >>> 32);
                long seq = v & 0xffff_ffffL;
                assertThat(seq).as("per-producer order, seed %s", seed).isGreaterThan(last[p]);
                last[p] = seq;
            }
        }
    }

    private static void produce(
            Sender<Long> s,
            int id,
            SplittableRandom rnd,
            List<Long> accepted,
            int stopAt,
            boolean failIt,
            Chaos chaos) {
        try {
            for (int seq = 0; seq < stopAt; seq++) {
                long v = item(id, seq);
                try {
                    switch (rnd.nextInt(chaos == Chaos.INTERRUPT ? 4 : 5)) {
                        case 0 -> {
                            s.send(v);
                            accepted.add(v);
                        }
                        case 1 -> {
                            SendResult<Long> r = s.trySend(v);
                            if (r.isSent()) {
                                accepted.add(v);
                            } else if (r instanceof SendResult.Disconnected) {
                                return;
                            }
                        }
                        case 2 -> {
                            SendResult<Long> r = s.send(v, Duration.ofNanos(rnd.nextInt(500_000)));
                            if (r.isSent()) {
                                accepted.add(v);
                            } else if (r instanceof SendResult.Disconnected) {
                                return;
                            }
                        }
                        case 3 -> {
                            boolean sent =
                                    Select.<Boolean>create()
                                            .onSend(s, v, () -> true)
                                            .select(Duration.ofMillis(1), () -> false);
                            if (sent) {
                                accepted.add(v);
                            }
                        }
                        default -> {
                            // sendAll of a few items (not under interrupts: an interrupted
                            // sendAll does not say how many it sent)
                            int k = Math.min(1 + rnd.nextInt(4), stopAt - seq);
                            List<Long> batch = new ArrayList<>();
                            for (int i = 0; i < k; i++) {
                                batch.add(item(id, seq + i));
                            }
                            seq += k - 1;
                            try {
                                s.sendAll(batch);
                                accepted.addAll(batch);
                            } catch (ChannelClosedException ex) {
                                List<?> unsent = (List<?>) ex.unsent();
                                accepted.addAll(batch.subList(0, batch.size() - unsent.size()));
                                return;
                            }
                        }
                    }
                } catch (InterruptedException ex) {
                    // not sent; go on with the next item
                } catch (ChannelClosedException ex) {
                    return;
                }
            }
        } finally {
            Thread.interrupted();
            if (failIt) {
                s.fail(new RuntimeException("producer gave up"));
            } else {
                s.close();
            }
        }
    }

    private static void consume(
            Receiver<Long> r, SplittableRandom rnd, List<Long> received, int stopAfter) {
        try (r) {
            while (received.size() < stopAfter) {
                try {
                    switch (rnd.nextInt(5)) {
                        case 0 -> received.add(r.receive());
                        case 1 -> {
                            ReceiveResult<Long> x =
                                    r.receive(Duration.ofNanos(rnd.nextInt(500_000)));
                            if (x instanceof ReceiveResult.Received<Long> got) {
                                received.add(got.value());
                            } else if (x instanceof ReceiveResult.Closed) {
                                return;
                            }
                        }
                        case 2 -> {
                            ReceiveResult<Long> x = r.tryReceive();
                            if (x instanceof ReceiveResult.Received<Long> got) {
                                received.add(got.value());
                            } else if (x instanceof ReceiveResult.Closed) {
                                return;
                            } else {
                                Thread.yield();
                            }
                        }
                        case 3 -> received.addAll(r.receiveBatch(1 + rnd.nextInt(8)));
                        default -> {
                            Long got =
                                    Select.<Long>create()
                                            .onReceive(r, v -> v)
                                            .select(Duration.ofMillis(1), () -> null);
                            if (got != null) {
                                received.add(got);
                            }
                        }
                    }
                } catch (InterruptedException ex) {
                    // took nothing; go on
                } catch (ChannelClosedException ex) {
                    return;
                }
            }
        } finally {
            Thread.interrupted();
        }
    }

    /** Runs {@code body}, recording what it throws. */
    private static void guard(ConcurrentLinkedQueue<Throwable> failures, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private static void joinAll(List<Thread> threads, String what, long seed)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        List<String> alive = new ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                StringBuilder sb = new StringBuilder(t.getName() + " " + t.getState());
                for (StackTraceElement el : t.getStackTrace()) {
                    sb.append("\n    at ").append(el);
                }
                alive.add(sb.toString());
                t.interrupt();
            }
        }
        assertThat(alive).as("%s still running (hang), seed %s", what, seed).isEmpty();
    }

    /** A short pause without sleeping a whole millisecond. */
    private static final class LockSupportPause {
        static void pause(long nanos) {
            java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        }
    }
}
