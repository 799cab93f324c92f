package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/** One test per behaviour of the channel contract (DESIGN.md), run for every flavour. */
@Timeout(30)
class ChannelContractTest {

    // ------------------------------------------------------------------ send / receive, FIFO

    @AllCapacities
    void itemsOfOneProducerArriveInTheOrderSent(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = 20_000;
        List<Integer> got = new ArrayList<>();
        try (Workers w = new Workers()) {
            w.start(
                    "producer",
                    () -> {
                        try (tx) {
                            for (int i = 0; i < n; i++) {
                                tx.send(i);
                            }
                        }
                    });
            for (int v : rx) {
                got.add(v);
            }
            w.joinAll();
        }
        assertThat(got).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
    }

    @AllCapacities
    void eachProducersItemsKeepTheirOrderWhenProducersInterleave(int capacity) throws Exception {
        Channel<long[]> ch = create(capacity);
        Sender<long[]> tx = ch.sender();
        Receiver<long[]> rx = ch.receiver();
        int producers = 3;
        int n = 5_000;
        long[] last = new long[producers];
        java.util.Arrays.fill(last, -1);
        try (Workers w = new Workers()) {
            for (int p = 0; p < producers; p++) {
                long id = p;
                Sender<long[]> mine = tx.copy();
                w.start(
                        "producer-" + p,
                        () -> {
                            try (mine) {
                                for (long i = 0; i < n; i++) {
                                    mine.send(new long[] {id, i});
                                }
                            }
                        });
            }
            tx.close();
            int count = 0;
            for (long[] item : rx) {
                assertThat(item[1]).isEqualTo(last[(int) item[0]] + 1);
                last[(int) item[0]] = item[1];
                count++;
            }
            w.joinAll();
            assertThat(count).isEqualTo(producers * n);
        }
    }

    @BoundedCapacities
    void sendBlocksWhileFullAndCompletesWhenAnItemIsTaken(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        List<Integer> buffered = fill(tx, capacity);
        try (Workers w = new Workers()) {
            Thread sender = w.start("sender", () -> tx.send(999));
            awaitBlocked(sender);
            assertThat(sender.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
            assertThat(ch.length()).isEqualTo(capacity);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i <= capacity; i++) {
                got.add(rx.receive());
            }
            w.joinAll();
            List<Integer> expected = new ArrayList<>(buffered);
            expected.add(999);
            assertThat(got).isEqualTo(expected);
        }
    }

    @Test
    void rendezvousSendCompletesOnlyWhenAReceiverTakesTheItem() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        assertThat(ch.capacity()).isZero();
        try (Workers w = new Workers()) {
            Thread sender = w.start("sender", () -> tx.send("x"));
            awaitBlocked(sender);
            Thread.sleep(20);
            assertThat(sender.isAlive()).isTrue();
            assertThat(ch.length()).isZero();
            assertThat(rx.receive()).isEqualTo("x");
            w.joinAll();
        }
    }

    @Test
    void aRendezvousSenderInterruptedWhileOfferingLetsTheNextBlockedSenderHandOff()
            throws Exception {
        Channel<String> ch = Channel.rendezvous();
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        try (Workers w = new Workers()) {
            Thread first =
                    w.start(
                            "first",
                            () ->
                                    assertThatThrownBy(() -> tx.send("first"))
                                            .isInstanceOf(InterruptedException.class));
            awaitBlocked(first); // its item is in the hand-off slot
            Thread second = w.start("second", () -> tx.send("second"));
            awaitBlocked(second); // waits for the slot
            first.interrupt(); // takes "first" back out of the slot
            first.join(10_000);
            assertThat(rx.receive(Duration.ofSeconds(5)))
                    .isEqualTo(new ReceiveResult.Received<>("second"));
            w.joinAll();
        }
    }

    @Test
    void aRendezvousSenderTimingOutLetsTheNextBlockedSenderHandOff() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        try (Workers w = new Workers()) {
            Thread first =
                    w.start(
                            "first",
                            () ->
                                    assertThat(tx.send("first", Duration.ofMillis(300)))
                                            .isEqualTo(new SendResult.Full<>("first")));
            awaitBlocked(first);
            Thread second = w.start("second", () -> tx.send("second"));
            awaitBlocked(second);
            first.join(10_000);
            assertThat(rx.receive(Duration.ofSeconds(5)))
                    .isEqualTo(new ReceiveResult.Received<>("second"));
            w.joinAll();
        }
    }

    @Test
    void rendezvousTrySendIsFullWhenNoReceiverWaits() {
        Channel<String> ch = Channel.rendezvous();
        assertThat(ch.sender().trySend("x")).isEqualTo(new SendResult.Full<>("x"));
        assertThat(ch.receiver().tryReceive()).isEqualTo(ReceiveResult.empty());
    }

    @AllCapacities
    void receiveBlocksWhileEmptyAndReturnsTheNextItem(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        AtomicReference<Integer> got = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread receiver = w.start("receiver", () -> got.set(rx.receive()));
            awaitBlocked(receiver);
            tx.send(7);
            w.joinAll();
        }
        assertThat(got.get()).isEqualTo(7);
    }

    // ------------------------------------------------------------------ many producers, closing

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

    // ------------------------------------------------------------------ receiver gone

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

    // ------------------------------------------------------------------ non-blocking and timed

    @BoundedCapacities
    void trySendIsFullWithTheValueWhenFullAndDisconnectedWhenNoReceiverIsLeft(int capacity) {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        fill(tx, capacity);
        assertThat(tx.trySend(42)).isEqualTo(new SendResult.Full<>(42));
        assertThat(tx.trySend(42).isSent()).isFalse();
        ch.receiver().close();
        assertThat(tx.trySend(42)).isEqualTo(new SendResult.Disconnected<>(42));
    }

    @BufferedCapacities
    void trySendIsSentWhenThereIsRoom(int capacity) {
        Channel<Integer> ch = create(capacity);
        assertThat(ch.sender().trySend(1)).isEqualTo(SendResult.sent());
        assertThat(ch.receiver().tryReceive()).isEqualTo(new ReceiveResult.Received<>(1));
    }

    @BoundedCapacities
    void timedSendIsFullAfterTheTimeout(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        fill(tx, capacity);
        Duration timeout = Duration.ofMillis(50);
        long t0 = System.nanoTime();
        assertThat(tx.send(42, timeout)).isEqualTo(new SendResult.Full<>(42));
        long waited = System.nanoTime() - t0;
        assertThat(waited).isGreaterThanOrEqualTo(timeout.toNanos() - 1_000_000);
        assertThat(ch.length()).isEqualTo(capacity);
        assertThat(tx.send(43, Duration.ZERO)).isEqualTo(new SendResult.Full<>(43));
    }

    @AllCapacities
    void timedSendIsSentWhenAReceiverMakesRoomInTime(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        List<Integer> buffered = capacity == Channel.UNBOUNDED ? List.of() : fill(tx, capacity);
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        try (Workers w = new Workers()) {
            w.start(
                    "receiver",
                    () -> {
                        Thread.sleep(20);
                        for (int i = 0; i <= buffered.size(); i++) {
                            got.add(rx.receive());
                        }
                    });
            assertThat(tx.send(42, Duration.ofSeconds(10))).isEqualTo(SendResult.sent());
            w.joinAll();
        }
        assertThat(got).endsWith(42);
    }

    @AllCapacities
    void tryReceiveIsEmptyWhileOpenAndClosedOnceClosedAndDrained(int capacity) {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        assertThat(rx.tryReceive()).isEqualTo(ReceiveResult.empty());
        ch.sender().close();
        ReceiveResult<Integer> r = rx.tryReceive();
        assertThat(r).isInstanceOf(ReceiveResult.Closed.class);
        assertThat(((ReceiveResult.Closed<Integer>) r).failure()).isEmpty();
    }

    @AllCapacities
    void timedReceiveIsEmptyAfterWaitingTheTimeout(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Receiver<Integer> rx = ch.receiver();
        Duration timeout = Duration.ofMillis(50);
        long t0 = System.nanoTime();
        assertThat(rx.receive(timeout)).isEqualTo(ReceiveResult.empty());
        long waited = System.nanoTime() - t0;
        assertThat(waited).isGreaterThanOrEqualTo(timeout.toNanos() - 1_000_000);
        assertThat(waited).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(rx.receive(Duration.ZERO)).isEqualTo(ReceiveResult.empty());
        assertThat(rx.receive(Duration.ofMillis(-5))).isEqualTo(ReceiveResult.empty());
    }

    @AllCapacities
    void timedReceiveWakesWithClosedWhenTheLastSenderCloses(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        AtomicReference<ReceiveResult<Integer>> got = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread r = w.start("receiver", () -> got.set(rx.receive(Duration.ofSeconds(20))));
            awaitBlocked(r);
            tx.close();
            w.joinAll();
        }
        assertThat(got.get()).isEqualTo(new ReceiveResult.Closed<>(null));
    }

    // ------------------------------------------------------------------ many consumers

    @AllCapacities
    void copiedReceiversEachGetEveryItemExactlyOnce(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = 20_000;
        int consumers = 3;
        List<List<Integer>> perConsumer = new ArrayList<>();
        try (Workers w = new Workers()) {
            for (int c = 0; c < consumers; c++) {
                List<Integer> mine = new ArrayList<>();
                perConsumer.add(mine);
                Receiver<Integer> r = rx.copy();
                w.start(
                        "consumer-" + c,
                        () -> {
                            try (r) {
                                for (int v : r) {
                                    mine.add(v);
                                }
                            }
                        });
            }
            rx.close();
            w.start(
                    "producer",
                    () -> {
                        try (tx) {
                            for (int i = 0; i < n; i++) {
                                tx.send(i);
                            }
                        }
                    });
            w.joinAll();
        }
        List<Integer> all = new ArrayList<>();
        for (List<Integer> mine : perConsumer) {
            assertThat(mine).isSorted();
            all.addAll(mine);
        }
        assertThat(all)
                .hasSize(n)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
    }

    // ------------------------------------------------------------------ failure

    @AllCapacities
    void receiversSeeTheItemsThenTheFailureWithItsCause(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        IllegalStateException boom = new IllegalStateException("boom");
        try (Workers w = new Workers()) {
            w.start(
                    "producer",
                    () -> {
                        tx.send(1);
                        tx.send(2);
                        tx.fail(boom);
                    });
            assertThat(rx.receive()).isEqualTo(1);
            assertThat(rx.receive()).isEqualTo(2);
            assertThatThrownBy(rx::receive)
                    .isInstanceOfSatisfying(
                            ChannelClosedException.class,
                            e -> {
                                assertThat(e.isFailure()).isTrue();
                                assertThat(e).hasCause(boom);
                            });
            w.joinAll();
        }
        assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Closed<>(boom));
        assertThat(rx.receive(Duration.ofMillis(1))).isEqualTo(new ReceiveResult.Closed<>(boom));
        assertThat(ch.stats().failed()).isTrue();
        assertThat(tx.isClosed()).isTrue();
    }

    @AllCapacities
    void theIteratorEndsWithTheFailureAfterTheItems(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        RuntimeException boom = new RuntimeException("boom");
        List<Integer> got = new ArrayList<>();
        try (Workers w = new Workers()) {
            w.start(
                    "producer",
                    () -> {
                        tx.send(1);
                        tx.send(2);
                        tx.fail(boom);
                    });
            assertThatThrownBy(
                            () -> {
                                for (int v : rx) {
                                    got.add(v);
                                }
                            })
                    .isInstanceOf(ChannelClosedException.class)
                    .hasCause(boom);
            w.joinAll();
        }
        assertThat(got).containsExactly(1, 2);
    }

    @AllCapacities
    void afterAFailureOtherSendersSendsFailWithTheCause(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Sender<Integer> other = tx.copy();
        RuntimeException boom = new RuntimeException("boom");
        tx.fail(boom);
        assertThat(other.isDisconnected()).isTrue();
        assertThatThrownBy(() -> other.send(1))
                .isInstanceOfSatisfying(
                        ChannelClosedException.class,
                        e -> {
                            assertThat(e).hasCause(boom);
                            assertThat(e.unsent()).isEqualTo(1);
                        });
        assertThat(other.trySend(2)).isEqualTo(new SendResult.Disconnected<>(2));
        assertThat(other.send(3, Duration.ofSeconds(5)))
                .isEqualTo(new SendResult.Disconnected<>(3));
    }

    @BoundedCapacities
    void aFailureWakesABlockedSenderWithTheCause(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Sender<Integer> other = tx.copy();
        fill(tx, capacity);
        RuntimeException boom = new RuntimeException("boom");
        AtomicReference<ChannelClosedException> thrown = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread sender =
                    w.start(
                            "sender",
                            () -> {
                                try {
                                    other.send(999);
                                } catch (ChannelClosedException e) {
                                    thrown.set(e);
                                }
                            });
            awaitBlocked(sender);
            tx.fail(boom);
            w.joinAll();
        }
        assertThat(thrown.get()).hasCause(boom);
        assertThat(thrown.get().unsent()).isEqualTo(999);
    }

    @AllCapacities
    void theFirstFailureWins(int capacity) {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Sender<Integer> other = tx.copy();
        RuntimeException first = new RuntimeException("first");
        tx.fail(first);
        other.fail(new RuntimeException("second"));
        assertThat(ch.receiver().tryReceive()).isEqualTo(new ReceiveResult.Closed<>(first));
    }

    // ------------------------------------------------------------------ select

    @AllCapacities
    void selectReceivesFromWhicheverChannelHasAnItem(int capacity) throws Exception {
        Channel<Integer> a = create(capacity);
        Channel<Integer> b = create(capacity);
        try (Workers w = new Workers()) {
            Thread selector =
                    w.start(
                            "selector",
                            () -> {
                                String r =
                                        Select.<String>create()
                                                .onReceive(a.receiver(), v -> "a" + v)
                                                .onReceive(b.receiver(), v -> "b" + v)
                                                .select();
                                assertThat(r).isEqualTo("b7");
                            });
            awaitBlocked(selector);
            b.sender().send(7);
            w.joinAll();
        }
        assertThat(a.receiver().tryReceive()).isEqualTo(ReceiveResult.empty());
    }

    @BufferedCapacities
    void selectSendsToAChannelWithRoom(int capacity) throws Exception {
        Channel<Integer> full = Channel.bounded(1);
        full.sender().send(0);
        Channel<Integer> roomy = create(capacity);
        String r =
                Select.<String>create()
                        .onSend(full.sender(), 1, () -> "full")
                        .onSend(roomy.sender(), 2, () -> "roomy")
                        .select(Duration.ofSeconds(5), () -> "timeout");
        assertThat(r).isEqualTo("roomy");
        assertThat(roomy.receiver().tryReceive()).isEqualTo(new ReceiveResult.Received<>(2));
        assertThat(full.length()).isEqualTo(1);
    }

    @BoundedCapacities
    void aBlockedSelectSendCompletesWhenAReceiverMakesRoom(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        List<Integer> buffered = fill(tx, capacity);
        try (Workers w = new Workers()) {
            Thread selector =
                    w.start(
                            "selector",
                            () ->
                                    assertThat(
                                                    Select.<String>create()
                                                            .onSend(tx, 42, () -> "sent")
                                                            .select())
                                            .isEqualTo("sent"));
            awaitBlocked(selector);
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i <= buffered.size(); i++) {
                got.add(rx.receive());
            }
            assertThat(got).endsWith(42);
            w.joinAll();
        }
    }

    @AllCapacities
    void selectTimesOutWhenNoClauseIsReady(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Duration timeout = Duration.ofMillis(50);
        long t0 = System.nanoTime();
        String r =
                Select.<String>create()
                        .onReceive(ch.receiver(), v -> "item")
                        .select(timeout, () -> "timeout");
        assertThat(r).isEqualTo("timeout");
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(timeout.toNanos() - 1_000_000);
    }

    @AllCapacities
    void selectNowTakesTheDefaultWhenNothingIsReady(int capacity) {
        Channel<Integer> ch = create(capacity);
        Select<String> s = Select.<String>create().onReceive(ch.receiver(), v -> "item" + v);
        assertThat(s.selectNow(() -> "default")).isEqualTo("default");
        if (capacity > 0) {
            ch.sender().trySend(1);
            assertThat(s.selectNow(() -> "default")).isEqualTo("item1");
        }
    }

    @AllCapacities
    void selectThrowsClosedForAClosedAndDrainedReceiveClause(int capacity) throws Exception {
        Channel<Integer> open = create(capacity);
        Channel<Integer> closed = create(capacity);
        closed.sender().close();
        assertThatThrownBy(
                        () ->
                                Select.<String>create()
                                        .onReceive(open.receiver(), v -> "open")
                                        .onReceive(closed.receiver(), v -> "closed")
                                        .select(Duration.ofSeconds(5), () -> "timeout"))
                .isInstanceOfSatisfying(
                        ChannelClosedException.class,
                        e -> assertThat(e.channelName()).isEqualTo(closed.name()));
    }

    @AllCapacities
    void selectThrowsClosedWithTheItemForADisconnectedSendClause(int capacity) {
        Channel<Integer> ch = create(capacity);
        ch.receiver().close();
        assertThatThrownBy(
                        () ->
                                Select.<String>create()
                                        .onSend(ch.sender(), 5, () -> "sent")
                                        .selectNow(() -> "default"))
                .isInstanceOfSatisfying(
                        ChannelClosedException.class, e -> assertThat(e.unsent()).isEqualTo(5));
    }

    @BufferedCapacities
    void exactlyOneClauseTakesEffectWhenSeveralAreReady(int capacity) throws Exception {
        Channel<Integer> a = create(capacity);
        Channel<Integer> b = create(capacity);
        Channel<Integer> c = create(capacity);
        a.sender().send(1);
        b.sender().send(2);
        String r =
                Select.<String>create()
                        .onReceive(a.receiver(), v -> "a" + v)
                        .onReceive(b.receiver(), v -> "b" + v)
                        .onSend(c.sender(), 3, () -> "c")
                        .select();
        assertThat(r).isIn("a1", "b2", "c");
        assertThat(a.length()).isEqualTo(r.equals("a1") ? 0 : 1);
        assertThat(b.length()).isEqualTo(r.equals("b2") ? 0 : 1);
        assertThat(c.length()).isEqualTo(r.equals("c") ? 1 : 0);
    }

    @Test
    void aRendezvousSendClauseCompletesWhenAReceiverWaits() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        Receiver<Integer> rx = ch.receiver();
        AtomicReference<Integer> got = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread receiver = w.start("receiver", () -> got.set(rx.receive()));
            awaitBlocked(receiver);
            String r =
                    Select.<String>create()
                            .onSend(ch.sender(), 9, () -> "sent")
                            .select(Duration.ofSeconds(10), () -> "timeout");
            assertThat(r).isEqualTo("sent");
            w.joinAll();
        }
        assertThat(got.get()).isEqualTo(9);
    }

    @Test
    void selectNeedsAClause() {
        assertThatThrownBy(() -> Select.<String>create().selectNow(() -> "x"))
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ batches

    @AllCapacities
    void receiveBatchWaitsForOneThenTakesWhatIsAvailable(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        List<Integer> got = new ArrayList<>();
        try (Workers w = new Workers()) {
            w.start(
                    "producer",
                    () -> {
                        try (tx) {
                            tx.sendAll(IntStream.range(0, 100).boxed().toList());
                        }
                    });
            while (true) {
                List<Integer> batch;
                try {
                    batch = rx.receiveBatch(8);
                } catch (ChannelClosedException e) {
                    break;
                }
                assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(8);
                got.addAll(batch);
            }
            w.joinAll();
        }
        assertThat(got).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    @BufferedCapacities
    void drainToMovesUpToMaxItemsWithoutWaiting(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = Math.min(capacity, 10);
        for (int i = 0; i < n; i++) {
            tx.send(i);
        }
        List<Integer> sink = new ArrayList<>();
        assertThat(rx.drainTo(sink, 3)).isEqualTo(Math.min(3, n));
        assertThat(rx.drainTo(sink, 100)).isEqualTo(n - Math.min(3, n));
        assertThat(rx.drainTo(sink, 100)).isZero();
        assertThat(sink).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
        tx.close();
        assertThat(rx.drainTo(sink, 100)).isZero();
    }

    @BoundedCapacities
    void sendAllHandsBackTheUnsentItemsWhenEveryReceiverClosesMidway(int capacity)
            throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        List<Integer> items = IntStream.range(0, capacity + 3).boxed().toList();
        AtomicReference<ChannelClosedException> thrown = new AtomicReference<>();
        try (Workers w = new Workers()) {
            Thread sender =
                    w.start(
                            "sender",
                            () -> {
                                try {
                                    tx.sendAll(items);
                                } catch (ChannelClosedException e) {
                                    thrown.set(e);
                                }
                            });
            awaitBlocked(sender);
            rx.close();
            w.joinAll();
        }
        assertThat(thrown.get().unsent()).isEqualTo(items.subList(capacity, items.size()));
        assertThat(ch.length()).as("the sent items were released with the buffer").isZero();
    }

    @AllCapacities
    void sendAllRejectsANullItemBeforeSendingAny(int capacity) {
        Channel<Integer> ch = create(capacity);
        assertThatThrownBy(() -> ch.sender().sendAll(java.util.Arrays.asList(1, null)))
                .isInstanceOf(NullPointerException.class);
        assertThat(ch.stats().sent()).isZero();
    }

    // ------------------------------------------------------------------ interruption

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

    // ------------------------------------------------------------------ insight

    @BoundedCapacities
    void statsCountSentReceivedLengthHighWaterMarkAndBlockedTime(int capacity) throws Exception {
        Channel<Integer> ch = Channel.bounded(capacity, "stats");
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        fill(tx, capacity);
        try (Workers w = new Workers()) {
            Thread sender = w.start("sender", () -> tx.send(999));
            awaitBlocked(sender);
            Thread.sleep(5);
            rx.receive();
            w.joinAll();
        }
        ChannelStats s = ch.stats();
        assertThat(s.name()).isEqualTo("stats");
        assertThat(s.capacity()).isEqualTo(capacity);
        assertThat(s.sent()).isEqualTo(capacity + 1);
        assertThat(s.received()).isEqualTo(1);
        assertThat(s.length()).isEqualTo(capacity);
        assertThat(ch.length()).isEqualTo(capacity);
        assertThat(s.highWaterMark()).isEqualTo(capacity);
        assertThat(s.sendBlockedNanos()).isPositive();
        assertThat(s.openSenders()).isEqualTo(1);
        assertThat(s.openReceivers()).isEqualTo(1);
        assertThat(s.failed()).isFalse();
    }

    @AllCapacities
    void statsCountTimeReceiversSpentBlocked(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        assertThat(ch.receiver().receive(Duration.ofMillis(20))).isEqualTo(ReceiveResult.empty());
        assertThat(ch.stats().receiveBlockedNanos()).isPositive();
        assertThat(ch.stats().capacity()).isEqualTo(capacity);
    }

    @Test
    void unboundedReportsItsCapacityAndLength() throws Exception {
        Channel<Integer> ch = Channel.unbounded();
        for (int i = 0; i < 5000; i++) {
            ch.sender().send(i);
        }
        assertThat(ch.capacity()).isEqualTo(Channel.UNBOUNDED);
        assertThat(ch.length()).isEqualTo(5000);
        assertThat(ch.stats().highWaterMark()).isEqualTo(5000);
        assertThat(ch.toString()).contains("unbounded");
    }

    // ------------------------------------------------------------------ bad input

    @AllCapacities
    void aNullItemIsRejectedAtTheCall(int capacity) {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        assertThatThrownBy(() -> tx.send(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.send(null, Duration.ofMillis(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.send(1, null)).isInstanceOf(NullPointerException.class);
        assertThat(ch.stats().sent()).isZero();
    }

    @Test
    void aNegativeCapacityIsRejected() {
        assertThatThrownBy(() -> Channel.bounded(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Channel.bounded(Channel.UNBOUNDED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channel.bounded(1, null)).isInstanceOf(NullPointerException.class);
    }

    @AllCapacities
    void badBatchSizesAreRejected(int capacity) {
        Receiver<Integer> rx = TestChannels.<Integer>create(capacity).receiver();
        assertThatThrownBy(() -> rx.receiveBatch(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rx.drainTo(new ArrayList<>(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ misc

    @AllCapacities
    void theOriginalHandlesAreReturnedAgainWhileReachable(int capacity) {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        assertThat(ch.sender()).isSameAs(tx);
        assertThat(tx.channel()).isSameAs(ch);
        assertThat(ch.receiver().channel()).isSameAs(ch);
    }

    @AllCapacities
    void concurrentReceiversGetDistinctItems(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        Set<Integer> seen = Collections.synchronizedSet(new HashSet<>());
        ConcurrentLinkedQueue<Integer> dups = new ConcurrentLinkedQueue<>();
        try (Workers w = new Workers()) {
            for (int c = 0; c < 2; c++) {
                Receiver<Integer> r = rx.copy();
                w.start(
                        "consumer-" + c,
                        () -> {
                            try (r) {
                                while (r.receive(Duration.ofSeconds(20))
                                        instanceof ReceiveResult.Received<Integer> got) {
                                    if (!seen.add(got.value())) {
                                        dups.add(got.value());
                                    }
                                }
                            }
                        });
            }
            for (int p = 0; p < 2; p++) {
                Sender<Integer> s = tx.copy();
                int base = p * 1_000_000;
                w.start(
                        "producer-" + p,
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
        assertThat(dups).isEmpty();
        assertThat(seen).hasSize(10_000);
    }

    // ------------------------------------------------------------------ issue 12: the buffer is
    // released when the last receiver closes

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

    // ------------------------------------------------------------------ issue 12: fair select

    @Test
    void selectChoosesFairlyAmongReadyReceiveClauses() {
        Channel<Integer> a = Channel.bounded(1);
        Channel<Integer> b = Channel.bounded(1);
        Sender<Integer> txa = a.sender();
        Sender<Integer> txb = b.sender();
        Select<String> select =
                Select.<String>create()
                        .onReceive(a.receiver(), v -> "a")
                        .onReceive(b.receiver(), v -> "b");
        assertFair(
                select,
                () -> {
                    txa.trySend(1);
                    txb.trySend(2);
                });
    }

    @Test
    void selectChoosesFairlyAmongReadySendClauses() {
        Channel<Integer> a = Channel.bounded(1);
        Channel<Integer> b = Channel.bounded(1);
        Receiver<Integer> rxa = a.receiver();
        Receiver<Integer> rxb = b.receiver();
        Select<String> select =
                Select.<String>create()
                        .onSend(a.sender(), 1, () -> "a")
                        .onSend(b.sender(), 2, () -> "b");
        assertFair(
                select,
                () -> {
                    rxa.tryReceive();
                    rxb.tryReceive();
                });
    }

    /**
     * Runs {@code select.selectNow} 10,000 times, {@code makeBothReady} before each, and checks
     * that clause "a" (added first) won 40-60 % of them.
     */
    private static void assertFair(Select<String> select, Runnable makeBothReady) {
        int firsts = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            makeBothReady.run();
            if (select.selectNow(() -> "none").equals("a")) {
                firsts++;
            }
        }
        assertThat(firsts).as("times the first clause won of %s", n).isBetween(4_000, 6_000);
    }

    @Test
    void aBiasedSelectTakesTheFirstReadyClauseInDeclarationOrder() throws Exception {
        Channel<Integer> a = Channel.bounded(1);
        Channel<Integer> b = Channel.bounded(1);
        Sender<Integer> txa = a.sender();
        Sender<Integer> txb = b.sender();
        Select<String> select =
                Select.<String>create()
                        .biased()
                        .onReceive(a.receiver(), v -> "a")
                        .onReceive(b.receiver(), v -> "b");
        for (int i = 0; i < 1_000; i++) {
            txa.trySend(1);
            txb.trySend(2);
            assertThat(select.select()).isEqualTo("a");
        }
        assertThat(select.selectNow(() -> "none")).isEqualTo("b");
        assertThat(select.selectNow(() -> "none")).isEqualTo("none");
    }

    // ------------------------------------------------------------------ issue 12: timeouts at the
    // edges of Duration

    static final Duration[] NON_POSITIVE = {
        Duration.ofSeconds(Long.MIN_VALUE),
        Duration.ofNanos(-Long.MAX_VALUE),
        Duration.ofNanos(-1),
        Duration.ZERO
    };

    static final Duration[] HUGE = {
        Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofDays(1_000_000)
    };

    @AllCapacities
    void nonPositiveTimeoutsTryOnceOnEveryTimedCall(int capacity) throws Exception {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        if (capacity != Channel.UNBOUNDED) {
            fill(tx, capacity);
        }
        for (Duration d : NON_POSITIVE) {
            long t0 = System.nanoTime();
            if (capacity != Channel.UNBOUNDED) {
                assertThat(tx.send(-2, d)).as("send %s", d).isEqualTo(new SendResult.Full<>(-2));
                assertThat(
                                Select.<String>create()
                                        .onSend(tx, -3, () -> "sent")
                                        .select(d, () -> "timeout"))
                        .as("select send %s", d)
                        .isEqualTo("timeout");
            }
            if (capacity == 0 || capacity == Channel.UNBOUNDED) {
                assertThat(rx.receive(d)).as("receive %s", d).isEqualTo(ReceiveResult.empty());
                assertThat(
                                Select.<String>create()
                                        .onReceive(rx, v -> "got")
                                        .select(d, () -> "timeout"))
                        .as("select receive %s", d)
                        .isEqualTo("timeout");
            }
            assertThat(System.nanoTime() - t0).as("%s took", d).isLessThan(2_000_000_000L);
        }
        if (capacity > 0 && capacity != Channel.UNBOUNDED) {
            // a non-positive timeout still takes what is there
            assertThat(rx.receive(Duration.ofSeconds(Long.MIN_VALUE)))
                    .isEqualTo(new ReceiveResult.Received<>(0));
        }
    }

    @Test
    void aRendezvousSendWithANonPositiveTimeoutHandsOffToAWaitingReceiverOnly() throws Exception {
        for (Duration d : NON_POSITIVE) {
            Channel<Integer> ch = Channel.rendezvous();
            Sender<Integer> tx = ch.sender();
            Receiver<Integer> rx = ch.receiver();
            assertThat(tx.send(1, d)).as("no receiver, %s", d).isEqualTo(new SendResult.Full<>(1));
            AtomicReference<Integer> got = new AtomicReference<>();
            try (Workers w = new Workers()) {
                Thread receiver = w.start("receiver", () -> got.set(rx.receive()));
                awaitBlocked(receiver);
                assertThat(tx.send(2, d))
                        .as("a receiver waits, %s", d)
                        .isEqualTo(SendResult.sent());
                w.joinAll();
            }
            assertThat(got.get()).isEqualTo(2);
        }
    }

    @AllCapacities
    void hugeTimeoutsSaturateOnEveryTimedCall(int capacity) throws Exception {
        for (Duration d : HUGE) {
            Channel<Integer> ch = create(capacity);
            Sender<Integer> tx = ch.sender();
            Receiver<Integer> rx = ch.receiver();
            List<Object> results = Collections.synchronizedList(new ArrayList<>());
            try (Workers w = new Workers()) {
                Thread r1 = w.start("receive", () -> results.add(rx.receive(d)));
                awaitBlocked(r1);
                Thread r2 =
                        w.start(
                                "select-receive",
                                () ->
                                        results.add(
                                                Select.<Object>create()
                                                        .onReceive(rx, v -> v)
                                                        .select(d, () -> "timeout")));
                awaitBlocked(r2);
                assertThat(tx.send(1, d)).isEqualTo(SendResult.sent());
                assertThat(tx.send(2, d)).isEqualTo(SendResult.sent());
                w.joinAll();
            }
            List<Object> values =
                    results.stream()
                            .map(x -> x instanceof ReceiveResult.Received<?> got ? got.value() : x)
                            .toList();
            assertThat(values).as("%s", d).containsExactlyInAnyOrder(1, 2);
            assertThat(results)
                    .as("%s", d)
                    .hasAtLeastOneElementOfType(ReceiveResult.Received.class);
            if (capacity == Channel.UNBOUNDED) {
                continue;
            }
            if (capacity > 0) {
                fill(tx, capacity);
            }
            results.clear();
            try (Workers w = new Workers()) {
                Thread s1 = w.start("send", () -> results.add(tx.send(10, d)));
                awaitBlocked(s1);
                Thread s2 =
                        w.start(
                                "select-send",
                                () ->
                                        results.add(
                                                Select.<Object>create()
                                                        .onSend(tx, 11, () -> "sent")
                                                        .select(d, () -> "timeout")));
                awaitBlocked(s2);
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < capacity + 2; i++) {
                    got.add(rx.receive());
                }
                w.joinAll();
                assertThat(got).contains(10, 11);
            }
            assertThat(results).as("%s", d).containsExactlyInAnyOrder(SendResult.sent(), "sent");
        }
    }
}
