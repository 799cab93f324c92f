package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closing the sending side, on every flavour. Handles: the channel closes for receiving only when
 * every sender copy is closed, closing twice is harmless, a closed handle refuses every call naming
 * the channel, and the original handles are returned again (docs/adr/0002-handle-counting.md).
 * Drain after close: a blocked receiver is woken by the last close, and every receive form gets the
 * items buffered before the close, then reports "closed"
 * (docs/adr/0003-what-a-closed-receive-returns.md). Closing with an error is in {@link
 * FailureContractTest}; the receiving side closing is in {@link DisconnectContractTest}.
 */
@Timeout(30)
class CloseContractTest {

    // ------------------------------------------------------------------ handles

    @AllCapacities
    void channelClosesForReceivingOnlyWhenEverySenderCopyIsClosed(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        Sender<Integer> tx2 = tx.copy();
        Sender<Integer> tx3 = tx2.copy();
        tx.close();
        tx2.close();
        assertThat(rx.tryReceive()).isEqualTo(ReceiveResult.empty());
        assertThat(rx.isClosedForReceiving()).isFalse();
        assertThat(ch.stats().openSenders()).isEqualTo(1);
        tx3.close();
        assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Closed<>(null));
        assertThat(rx.isClosedForReceiving()).isTrue();
        assertThat(ch.stats().closedForSending()).isTrue();
    }

    @AllCapacities
    void aReceiverBlockedOnAnEmptyChannelWakesWhenTheLastSenderCloses(int capacity)
            throws Exception {
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
                                } catch (ChannelClosedException e) {
                                    thrown.set(e);
                                }
                            });
            awaitBlocked(receiver);
            tx.close();
            w.joinAll();
        }
        assertThat(thrown.get())
                .isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining(ch.name());
    }

    @AllCapacities
    void closingAHandleTwiceIsHarmless(int capacity) {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        Sender<Integer> tx2 = tx.copy();
        tx.close();
        tx.close();
        assertThat(ch.stats().openSenders()).isEqualTo(1);
        assertThat(rx.tryReceive()).isEqualTo(ReceiveResult.empty());
        tx2.close();
        rx.close();
        rx.close();
        assertThat(ch.stats().openReceivers()).isZero();
        assertThat(tx.isClosed()).isTrue();
        assertThat(rx.isClosed()).isTrue();
    }

    @AllCapacities
    void usingAClosedSenderThrowsIllegalStateNamingTheChannel(int capacity) {
        Channel<Integer> ch = Channel.bounded(0, "orders");
        if (capacity != 0) {
            ch =
                    capacity == Channel.UNBOUNDED
                            ? Channel.unbounded("orders")
                            : Channel.bounded(capacity, "orders");
        }
        Sender<Integer> tx = ch.sender();
        tx.close();
        assertThatThrownBy(() -> tx.send(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("orders");
        assertThatThrownBy(() -> tx.trySend(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tx.send(1, Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tx.sendAll(List.of(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tx::copy).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tx.fail(new RuntimeException()))
                .isInstanceOf(IllegalStateException.class);
    }

    @AllCapacities
    void usingAClosedReceiverThrowsIllegalStateNamingTheChannel(int capacity) {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        rx.close();
        assertThatThrownBy(rx::receive)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ch.name());
        assertThatThrownBy(rx::tryReceive).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rx.receive(Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rx.receiveBatch(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> rx.drainTo(new ArrayList<>(), 2))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(rx::iterator).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(rx::copy).isInstanceOf(IllegalStateException.class);
    }

    @AllCapacities
    void theOriginalHandlesAreReturnedAgainWhileReachable(int capacity) {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        assertThat(ch.sender()).isSameAs(tx);
        assertThat(tx.channel()).isSameAs(ch);
        assertThat(ch.receiver().channel()).isSameAs(ch);
    }

    // ------------------------------------------------------------------ drain after close

    /** Sends 1, 2, 3 from another thread (a rendezvous needs one), then closes the sender. */
    private static void sendThreeAndClose(Workers w, Sender<Integer> tx) {
        w.start(
                "producer",
                () -> {
                    try (tx) {
                        tx.send(1);
                        tx.send(2);
                        tx.send(3);
                    }
                });
    }

    @AllCapacities
    void receiveDrainsBufferedItemsAfterCloseThenThrowsClosed(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        try (Workers w = new Workers()) {
            sendThreeAndClose(w, ch.sender());
            assertThat(List.of(rx.receive(), rx.receive(), rx.receive())).containsExactly(1, 2, 3);
            assertThatThrownBy(rx::receive)
                    .isInstanceOfSatisfying(
                            ChannelClosedException.class,
                            e -> {
                                assertThat(e.isFailure()).isFalse();
                                assertThat(e.unsent()).isNull();
                                assertThat(e.channelName()).isEqualTo(ch.name());
                            });
            w.joinAll();
        }
    }

    @BufferedCapacities
    void itemsBufferedBeforeCloseAreStillReceived(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        tx.send(1);
        tx.close();
        assertThat(rx.isClosedForReceiving()).isFalse();
        assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Received<>(1));
        assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Closed<>(null));
    }

    @AllCapacities
    void tryReceiveAndTimedReceiveSeeClosedAfterTheDrain(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        try (Workers w = new Workers()) {
            sendThreeAndClose(w, ch.sender());
            List<Integer> got = new ArrayList<>();
            while (got.size() < 3) {
                if (rx.receive(Duration.ofSeconds(5))
                        instanceof ReceiveResult.Received<Integer> r) {
                    got.add(r.value());
                }
            }
            w.joinAll();
            assertThat(got).containsExactly(1, 2, 3);
        }
        assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Closed<>(null));
        assertThat(rx.receive(Duration.ofSeconds(5))).isEqualTo(new ReceiveResult.Closed<>(null));
        assertThat(rx.receive(Duration.ZERO)).isEqualTo(new ReceiveResult.Closed<>(null));
    }

    @AllCapacities
    void iteratorEndsAfterTheBufferedItems(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        List<Integer> got = new ArrayList<>();
        try (Workers w = new Workers()) {
            sendThreeAndClose(w, ch.sender());
            Iterator<Integer> it = rx.iterator();
            while (it.hasNext()) {
                got.add(it.next());
            }
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
            w.joinAll();
        }
        assertThat(got).containsExactly(1, 2, 3);
    }

    @AllCapacities
    void streamEndsAfterTheBufferedItems(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        try (Workers w = new Workers()) {
            sendThreeAndClose(w, ch.sender());
            assertThat(rx.stream().toList()).containsExactly(1, 2, 3);
            w.joinAll();
        }
    }
}
