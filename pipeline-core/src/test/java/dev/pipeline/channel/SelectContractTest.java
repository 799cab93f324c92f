package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Select}, on every flavour: it receives from whichever channel has an item and sends to
 * whichever has room, times out or takes its default when no clause is ready, throws {@link
 * ChannelClosedException} for a closed clause, and completes exactly one clause even when several
 * are ready. Among ready clauses it chooses fairly unless it is {@link Select#biased() biased}
 * (docs/adr/0014-fair-select.md); a send clause on a rendezvous channel completes only by handing
 * its item to a waiting receiver (docs/adr/0013-linearizable-try-operations.md).
 */
@Timeout(30)
class SelectContractTest {

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

    // ------------------------------------------------------------------ fair and biased

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
}
