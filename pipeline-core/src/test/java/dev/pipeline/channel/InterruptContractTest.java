package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Interrupts, on every flavour: an interrupted blocked send sends nothing, an interrupted blocked
 * receive takes nothing, an interrupted iterator throws {@link ChannelInterruptedException} and
 * keeps the thread's interrupt flag, and a call that need not wait completes despite the flag. A
 * rendezvous sender interrupted with its item in the hand-off slot is in {@link
 * RendezvousContractTest}.
 */
@Timeout(30)
class InterruptContractTest {

    @BoundedCapacities
    void anInterruptedBlockedSendDoesNotEnqueue(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        List<Integer> buffered = fill(tx, capacity);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread sender =
                    w.start(
                            "sender",
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
        rx.drainTo(left, Integer.MAX_VALUE);
        assertThat(left).isEqualTo(buffered);
        assertThat(rx.tryReceive()).isEqualTo(ReceiveResult.empty());
        assertThat(ch.stats().sent()).isEqualTo(capacity);
    }

    @AllCapacities
    void anInterruptedBlockedReceiveTakesNothing(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread receiver =
                    w.start(
                            "receiver",
                            () -> {
                                try {
                                    rx.receive();
                                } catch (InterruptedException e) {
                                    thrown.set(e);
                                }
                            });
            awaitBlocked(receiver);
            receiver.interrupt();
            w.joinAll();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            w.start("producer", () -> tx.send(5));
            assertThat(rx.receive(Duration.ofSeconds(10)))
                    .isEqualTo(new ReceiveResult.Received<>(5));
            w.joinAll();
        }
        assertThat(ch.stats().received()).isEqualTo(1);
    }

    @AllCapacities
    void anInterruptedIteratorThrowsChannelInterruptedAndKeepsTheFlag(int capacity)
            throws Exception {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread receiver =
                    w.start(
                            "receiver",
                            () -> {
                                try {
                                    rx.iterator().hasNext();
                                } catch (ChannelInterruptedException e) {
                                    assertThat(Thread.currentThread().isInterrupted()).isTrue();
                                    thrown.set(e);
                                }
                            });
            awaitBlocked(receiver);
            receiver.interrupt();
            w.joinAll();
        }
        assertThat(thrown.get()).hasCauseInstanceOf(InterruptedException.class);
    }

    @BufferedCapacities
    void aCallThatNeedNotWaitCompletesDespiteTheInterruptFlag(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Thread.currentThread().interrupt();
        try {
            ch.sender().send(1);
            assertThat(ch.receiver().receive()).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
