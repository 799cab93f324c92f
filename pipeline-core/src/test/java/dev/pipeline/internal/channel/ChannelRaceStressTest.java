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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One stress test per race of issue 12 (items 1 to 3): many repetitions with random timing and
 * random capacities, each asserting that every accepted item is received exactly once or handed
 * back, and that a non-blocking answer ("empty", "full", "sent") was true at some instant of the
 * call. Every thread is joined; a failure message carries the random seed.
 *
 * <p>Size: {@code -Dpipeline.stress.scale=N} multiplies the repetitions (default 1).
 */
@Tag("stress")
@Timeout(60)
class ChannelRaceStressTest {

    private static final int SCALE = Integer.getInteger("pipeline.stress.scale", 1);
    private static final int[] CAPACITIES = {1, 2, 3, 4, 7, 16, 64};

    /**
     * Item 1: with one receiver, {@code tryReceive} may say Empty only if every send that ended
     * before the call began has been received: otherwise that item was in the channel for the
     * whole call. Three producers on two cores get preempted between claiming a slot and
     * publishing it.
     */
    @Test
    void tryReceiveSaysEmptyOnlyWhenEveryCompletedSendWasReceived() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int wrongEmpty = 0;
        for (int round = 0; round < 4 * SCALE; round++) {
            int capacity = CAPACITIES[rnd.nextInt(CAPACITIES.length)];
            Channel<Integer> ch = Channel.bounded(capacity);
            Receiver<Integer> rx = ch.receiver();
            int producers = 3;
            int perProducer = 15_000;
            AtomicLong completed = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            try (Sender<Integer> tx = ch.sender()) {
                startEach(
                        producers,
                        tx::copy,
                        mine -> {
                            for (int i = 0; i < perProducer; i++) {
                                mine.send(i);
                                completed.incrementAndGet();
                            }
                        },
                        threads,
                        failures);
            }
            long received = 0;
            try (rx) {
                while (received < (long) producers * perProducer) {
                    long before = completed.get();
                    ReceiveResult<Integer> r = rx.tryReceive();
                    if (r instanceof ReceiveResult.Received<Integer>) {
                        received++;
                    } else if (before > received) {
                        wrongEmpty++;
                    }
                }
            }
            joinAll(threads, failures, seed);
        }
        assertThat(wrongEmpty)
                .as("Empty while a completed send was unreceived, seed %s", seed)
                .isZero();
    }

    /**
     * Item 1, reverse: with one producer, {@code trySend} may say Full only if the channel held
     * {@code capacity} items at some instant of the call, which it cannot when fewer than {@code
     * capacity} of its items are unreceived by receives that ended before the call began.
     */
    @Test
    void trySendSaysFullOnlyWhenTheChannelWasFull() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int wrongFull = 0;
        for (int round = 0; round < 4 * SCALE; round++) {
            int capacity = CAPACITIES[rnd.nextInt(CAPACITIES.length)];
            Channel<Integer> ch = Channel.bounded(capacity);
            Sender<Integer> tx = ch.sender();
            int consumers = 3;
            long total = 45_000;
            AtomicLong completed = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            try (Receiver<Integer> rx = ch.receiver()) {
                startEach(
                        consumers,
                        rx::copy,
                        mine -> {
                            for (int v : mine) {
                                completed.incrementAndGet();
                            }
                        },
                        threads,
                        failures);
            }
            long sent = 0;
            try (tx) {
                while (sent < total) {
                    long before = completed.get();
                    SendResult<Integer> r = tx.trySend(1);
                    if (r.isSent()) {
                        sent++;
                    } else if (sent - before < capacity) {
                        wrongFull++;
                    }
                }
            }
            joinAll(threads, failures, seed);
            assertThat(completed.get()).as("received, seed %s", seed).isEqualTo(total);
        }
        assertThat(wrongFull).as("Full while the channel had room, seed %s", seed).isZero();
    }

    /**
     * Item 2a: a rendezvous {@code trySend} racing a {@code receive(timeout)} that may time out,
     * then the receiver closes. Sent must mean the receiver got the item; otherwise it comes back.
     */
    @Test
    void aRendezvousTrySendRacingATimedReceiveIsSentOnlyIfReceived() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int stranded = 0;
        int tries = 3_000 * SCALE;
        for (int i = 0; i < tries; i++) {
            Channel<Integer> ch = Channel.rendezvous();
            Sender<Integer> tx = ch.sender();
            Receiver<Integer> rx = ch.receiver();
            long timeout = 20_000 + rnd.nextInt(200_000);
            long senderDelay = rnd.nextInt(250_000);
            AtomicBoolean receiverDone = new AtomicBoolean();
            List<Object> got = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread receiver =
                    start(
                            failures,
                            () -> {
                                got.add(rx.receive(Duration.ofNanos(timeout)));
                                receiverDone.set(true);
                            });
            SendResult<Integer> r;
            try (tx) {
                LockSupport.parkNanos(senderDelay);
                do {
                    r = tx.trySend(7);
                } while (!r.isSent() && !receiverDone.get());
            }
            joinAll(List.of(receiver), failures, seed);
            rx.close();
            boolean received = got.get(0) instanceof ReceiveResult.Received<?>;
            if (r.isSent() != received) {
                stranded++;
            }
        }
        assertThat(stranded)
                .as("trySend said Sent but the receiver timed out (of %s), seed %s", tries, seed)
                .isZero();
    }

    /**
     * Item 2b: one select blocked on two rendezvous channels, a {@code trySend} on each at once:
     * exactly one may say Sent, and its item is the one the select returns.
     */
    @Test
    void rendezvousTrySendsToOneBlockedSelectAreTakenExactlyOnce() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        int wrong = 0;
        int tries = 500 * SCALE;
        for (int i = 0; i < tries; i++) {
            Channel<Integer> a = Channel.rendezvous();
            Channel<Integer> b = Channel.rendezvous();
            Receiver<Integer> rxa = a.receiver();
            Receiver<Integer> rxb = b.receiver();
            AtomicBoolean selected = new AtomicBoolean();
            List<Integer> bySelect = new ArrayList<>();
            List<SendResult<Integer>> results = new ArrayList<>(List.of(SendResult.sent()));
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread selector =
                    start(
                            failures,
                            () -> {
                                bySelect.add(
                                        Select.<Integer>create()
                                                .onReceive(rxa, v -> v)
                                                .onReceive(rxb, v -> v)
                                                .select(Duration.ofSeconds(10), () -> -1));
                                selected.set(true);
                            });
            waitUntilParked(selector);
            Sender<Integer> txa = a.sender();
            Sender<Integer> txb = b.sender();
            List<SendResult<Integer>> fromB = new ArrayList<>();
            Thread other = start(failures, () -> fromB.add(trySendUntil(txb, 2, selected)));
            results.set(0, trySendUntil(txa, 1, selected));
            joinAll(List.of(selector, other), failures, seed);
            results.add(fromB.get(0));
            txa.close();
            txb.close();
            rxa.close();
            rxb.close();
            long sent = results.stream().filter(SendResult::isSent).count();
            int which = results.get(0).isSent() ? 1 : 2;
            if (sent != 1 || bySelect.get(0) != which) {
                wrong++;
            }
        }
        assertThat(wrong)
                .as("both Sent, or Sent item not selected (of %s), seed %s", tries, seed)
                .isZero();
    }

    /**
     * Item 3: producers send with every form while the only receiver takes a random number of
     * items and closes. Every item is received at most once; an item not received was accepted
     * (and released with the buffer) or handed back; nothing stays referenced by the channel.
     */
    @Test
    void sendsRacingTheLastReceiverCloseAreReceivedReleasedOrHandedBack() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] capacities = {0, 1, 2, 16, 1024, Channel.UNBOUNDED};
        for (int round = 0; round < 200 * SCALE; round++) {
            int capacity = capacities[rnd.nextInt(capacities.length)];
            Channel<Integer> ch =
                    capacity == Channel.UNBOUNDED ? Channel.unbounded() : Channel.bounded(capacity);
            Receiver<Integer> rx = ch.receiver();
            int producers = 2;
            List<Set<Integer>> accepted = new ArrayList<>();
            List<Set<Integer>> handedBack = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            try (Sender<Integer> tx = ch.sender()) {
                for (int p = 0; p < producers; p++) {
                    Set<Integer> ok = new HashSet<>();
                    Set<Integer> back = new HashSet<>();
                    accepted.add(ok);
                    handedBack.add(back);
                    Sender<Integer> mine = tx.copy();
                    SplittableRandom r = rnd.split();
                    int base = p << 20;
                    threads.add(
                            start(failures, () -> produceUntilRefused(mine, base, r, ok, back)));
                }
            }
            int stopAfter = rnd.nextInt(300);
            Set<Integer> received = new HashSet<>();
            boolean duplicate = false;
            while (received.size() < stopAfter) {
                ReceiveResult<Integer> r = rx.receive(Duration.ofMillis(100));
                if (r instanceof ReceiveResult.Received<Integer> got) {
                    duplicate |= !received.add(got.value());
                }
            }
            rx.close();
            joinAll(threads, failures, seed);
            assertThat(duplicate).as("duplicate, seed %s", seed).isFalse();
            Set<Integer> acceptedAll = new HashSet<>();
            accepted.forEach(acceptedAll::addAll);
            Set<Integer> back = new HashSet<>();
            handedBack.forEach(back::addAll);
            assertThat(acceptedAll).as("received, seed %s", seed).containsAll(received);
            Set<Integer> both = new HashSet<>(back);
            both.retainAll(acceptedAll);
            assertThat(both).as("handed back and accepted, seed %s", seed).isEmpty();
            assertThat(ch.stats().length())
                    .as(
                            "items left referenced after the last receiver closed, capacity %s,"
                                    + " seed %s",
                            capacity, seed)
                    .isZero();
        }
    }

    private static void produceUntilRefused(
            Sender<Integer> tx, int base, SplittableRandom rnd, Set<Integer> ok, Set<Integer> back)
            throws InterruptedException {
        try (tx) {
            for (int i = base; ; i++) {
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        try {
                            tx.send(i);
                            ok.add(i);
                        } catch (ChannelClosedException e) {
                            back.add((Integer) e.unsent());
                            return;
                        }
                    }
                    case 1 -> {
                        SendResult<Integer> r = tx.trySend(i);
                        if (r.isSent()) {
                            ok.add(i);
                        } else if (r instanceof SendResult.Disconnected<Integer> d) {
                            back.add(d.value());
                            return;
                        } else {
                            back.add(i);
                        }
                    }
                    case 2 -> {
                        SendResult<Integer> r = tx.send(i, Duration.ofNanos(rnd.nextInt(100_000)));
                        if (r.isSent()) {
                            ok.add(i);
                        } else if (r instanceof SendResult.Disconnected<Integer> d) {
                            back.add(d.value());
                            return;
                        } else {
                            back.add(i);
                        }
                    }
                    default -> {
                        List<Integer> batch = List.of(i, i + 1, i + 2);
                        i += 2;
                        try {
                            tx.sendAll(batch);
                            ok.addAll(batch);
                        } catch (ChannelClosedException e) {
                            List<?> unsent = (List<?>) e.unsent();
                            ok.addAll(batch.subList(0, batch.size() - unsent.size()));
                            unsent.forEach(x -> back.add((Integer) x));
                            return;
                        }
                    }
                }
            }
        }
    }

    private static SendResult<Integer> trySendUntil(
            Sender<Integer> tx, int item, AtomicBoolean done) {
        SendResult<Integer> r;
        do {
            r = tx.trySend(item);
        } while (!r.isSent() && !done.get());
        return r;
    }

    /** Work for a test thread on its own handle. */
    @FunctionalInterface
    private interface HandleBody<H> {
        void run(H handle) throws Exception;
    }

    /** Starts {@code n} threads, each running {@code body} on a copy of a handle it then closes. */
    private static <H extends AutoCloseable> void startEach(
            int n,
            Supplier<H> copy,
            HandleBody<H> body,
            List<Thread> threads,
            ConcurrentLinkedQueue<Throwable> failures) {
        for (int i = 0; i < n; i++) {
            H mine = copy.get();
            threads.add(
                    start(
                            failures,
                            () -> {
                                try (mine) {
                                    body.run(mine);
                                }
                            }));
        }
    }

    /** Work for a test thread. */
    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(ConcurrentLinkedQueue<Throwable> failures, Body body) {
        return Thread.ofPlatform()
                .daemon()
                .start(
                        () -> {
                            try {
                                body.run();
                            } catch (Throwable t) {
                                failures.add(t);
                            }
                        });
    }

    private static void waitUntilParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - deadline).as("thread never parked").isNegative();
            LockSupport.parkNanos(20_000); // leave the cores to the thread that is to park
        }
    }

    private static void joinAll(
            List<Thread> threads, ConcurrentLinkedQueue<Throwable> failures, long seed)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (Thread t : threads) {
            if (t.isAlive()) {
                t.interrupt();
                t.join(5_000);
                throw new AssertionError("a thread hung, seed " + seed);
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("a thread failed, seed " + seed, failures.peek());
            throw e;
        }
    }
}
