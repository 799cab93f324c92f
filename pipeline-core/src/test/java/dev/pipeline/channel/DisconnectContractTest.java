package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When every receiver is closed, on every flavour: a blocked send fails and hands its item back,
 * later sends fail at once, and the items still buffered are released even while a sender lives
 * (docs/adr/0002-handle-counting.md; the release is docs/adr/0013-linearizable-try-operations.md,
 * from issue 12, item 3). A handle dropped without being closed is the subject of {@link
 * ChannelLeakTest}.
 */
@Timeout(30)
class DisconnectContractTest {

    @BoundedCapacities
    void aBlockedSendFailsWithItsValueWhenEveryReceiverCloses(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        Receiver<Integer> rx2 = rx.copy();
        fill(tx, capacity);
        AtomicReference<ChannelClosedException> thrown = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread sender =
                    w.start(
                            "sender",
                            () -> {
                                try {
                                    tx.send(999);
                                } catch (ChannelClosedException e) {
                                    thrown.set(e);
                                }
                            });
            awaitBlocked(sender);
            rx.close();
            Thread.sleep(10);
            assertThat(sender.isAlive()).as("one receiver is still open").isTrue();
            rx2.close();
            w.joinAll();
        }
        assertThat(thrown.get().unsent()).isEqualTo(999);
        assertThat(thrown.get().channelName()).isEqualTo(ch.name());
        assertThat(tx.isDisconnected()).isTrue();
    }

    @AllCapacities
    void sendsAfterEveryReceiverClosedFailAtOnceHandingTheValueBack(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        ch.receiver().close();
        assertThat(tx.isDisconnected()).isTrue();
        assertThat(ch.stats().closedForReceiving()).isTrue();
        assertThatThrownBy(() -> tx.send(1))
                .isInstanceOfSatisfying(
                        ChannelClosedException.class, e -> assertThat(e.unsent()).isEqualTo(1));
        assertThat(tx.trySend(2)).isEqualTo(new SendResult.Disconnected<>(2));
        long t0 = System.nanoTime();
        assertThat(tx.send(3, Duration.ofSeconds(10))).isEqualTo(new SendResult.Disconnected<>(3));
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(ch.stats().sent()).isZero();
    }

    @BufferedCapacities
    void bufferedItemsAreReleasedWhenTheLastReceiverClosesWhileASenderLives(int capacity)
            throws Exception {
        Channel<Object> ch = create(capacity);
        Sender<Object> tx = ch.sender();
        Receiver<Object> rx = ch.receiver();
        int n = Math.min(capacity, 8);
        List<WeakReference<Object>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object item = new byte[1024];
            refs.add(new WeakReference<>(item));
            assertThat(tx.trySend(item)).isEqualTo(SendResult.sent());
        }
        rx.close();
        assertThat(ch.stats().length()).isZero();
        for (int i = 0; i < 50 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(refs).allSatisfy(r -> assertThat(r.get()).as("item still referenced").isNull());
        assertThat(tx.trySend("late")).isEqualTo(new SendResult.Disconnected<>("late"));
        assertThat(ch.stats().length()).isZero();
        tx.close();
    }
}
