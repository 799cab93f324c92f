package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** The blocking paths on virtual threads: they park (unmount) and complete, without pinning. */
@Timeout(60)
class VirtualThreadChannelTest {

    @BoundedCapacities
    void aVirtualThreadSendBlocksWhileFullAndCompletes(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        List<Integer> buffered = fill(tx, capacity);
        try (Workers w = new Workers(true)) {
            Thread sender = w.start("vt-sender", () -> tx.send(999));
            awaitBlocked(sender);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i <= buffered.size(); i++) {
                got.add(rx.receive());
            }
            w.joinAll();
            assertThat(got).endsWith(999);
        }
    }

    @AllCapacities
    void aVirtualThreadReceiveBlocksWhileEmptyAndCompletes(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        AtomicReference<Integer> got = new AtomicReference<>();
        try (Workers w = new Workers(true)) {
            Thread receiver = w.start("vt-receiver", () -> got.set(rx.receive()));
            awaitBlocked(receiver);
            tx.send(5);
            w.joinAll();
        }
        assertThat(got.get()).isEqualTo(5);
    }

    @BoundedCapacities
    void anInterruptedVirtualThreadSendDoesNotEnqueue(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        List<Integer> buffered = fill(tx, capacity);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Workers w = new Workers(true)) {
            Thread sender =
                    w.start(
                            "vt-sender",
                            () -> {
                                try {
                                    tx.send(999);
                                } catch (InterruptedException e) {
                                    thrown.set(e);
                                }
                            });
            awaitBlocked(sender);
            sender.interrupt();
            w.joinAll();
        }
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        List<Integer> left = new ArrayList<>();
        ch.receiver().drainTo(left, Integer.MAX_VALUE);
        assertThat(left).isEqualTo(buffered);
    }

    @AllCapacities
    void virtualProducersAndConsumersMoveEveryItemOnce(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        ConcurrentLinkedQueue<Integer> got = new ConcurrentLinkedQueue<>();
        try (Workers w = new Workers(true)) {
            for (int c = 0; c < 4; c++) {
                Receiver<Integer> r = rx.copy();
                w.start(
                        "vt-consumer-" + c,
                        () -> {
                            try (r) {
                                for (int v : r) {
                                    got.add(v);
                                }
                            }
                        });
            }
            rx.close();
            for (int p = 0; p < 4; p++) {
                Sender<Integer> s = tx.copy();
                int base = p * 10_000;
                w.start(
                        "vt-producer-" + p,
                        () -> {
                            try (s) {
                                for (int i = 0; i < 5_000; i++) {
                                    s.send(base + i);
                                }
                            }
                        });
            }
            tx.close();
            w.joinAll();
        }
        assertThat(got).hasSize(20_000).doesNotHaveDuplicates();
    }

    /**
     * 10 000 virtual threads blocked on channels at once (5 000 senders on a rendezvous channel,
     * 5 000 receivers on a bounded one) all complete, and no carrier thread is pinned (JFR
     * jdk.VirtualThreadPinned events).
     */
    @Test
    void tenThousandBlockedVirtualThreadsCompleteWithoutPinning() throws Exception {
        int n = 5_000;
        AtomicInteger pinned = new AtomicInteger();
        AutoCloseable jfr = pinnedEventCounter(pinned);
        try {

            Channel<Integer> handoff = Channel.rendezvous();
            Channel<Integer> replies = Channel.bounded(16);
            Sender<Integer> handoffTx = handoff.sender();
            Receiver<Integer> handoffRx = handoff.receiver();
            Sender<Integer> repliesTx = replies.sender();
            Receiver<Integer> repliesRx = replies.receiver();
            ConcurrentLinkedQueue<Integer> received = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < n; i++) {
                    int v = i;
                    vts.submit(
                            () -> {
                                try {
                                    handoffTx.send(v); // blocks until the relay takes it
                                } catch (Throwable t) {
                                    failures.add(t);
                                }
                            });
                    vts.submit(
                            () -> {
                                try {
                                    received.add(repliesRx.receive()); // blocks until a reply
                                } catch (Throwable t) {
                                    failures.add(t);
                                }
                            });
                }
                // every sender and receiver is now blocked (or about to be); relay n items
                for (int i = 0; i < n; i++) {
                    repliesTx.send(handoffRx.receive());
                }
            } // close() waits for all 10 000 tasks
            assertThat(failures).isEmpty();
            assertThat(received)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
        } finally {
            jfr.close();
        }
        assertThat(pinned.get()).as("jdk.VirtualThreadPinned events").isZero();
    }

    /**
     * Starts a JFR stream counting jdk.VirtualThreadPinned events; close it to stop (checked to
     * count a virtual thread that parks inside a class initializer, which pins). Reflection,
     * because the test sources compile inside the dev.pipeline module, which does not read jdk.jfr
     * (the tests themselves run on the class path).
     */
    private static AutoCloseable pinnedEventCounter(AtomicInteger pinned) throws Exception {
        Class<?> streamClass = Class.forName("jdk.jfr.consumer.RecordingStream");
        Object stream = streamClass.getConstructor().newInstance();
        Object settings =
                streamClass
                        .getMethod("enable", String.class)
                        .invoke(stream, "jdk.VirtualThreadPinned");
        settings.getClass()
                .getMethod("withThreshold", Duration.class)
                .invoke(settings, Duration.ZERO);
        Consumer<Object> count = e -> pinned.incrementAndGet();
        streamClass
                .getMethod("onEvent", String.class, Consumer.class)
                .invoke(stream, "jdk.VirtualThreadPinned", count);
        streamClass.getMethod("startAsync").invoke(stream);
        return () -> {
            // stop() waits until every recorded event has been delivered to the handler
            streamClass.getMethod("stop").invoke(stream);
            ((AutoCloseable) stream).close();
        };
    }
}
