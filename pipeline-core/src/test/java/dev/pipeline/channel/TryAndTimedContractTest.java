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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The forms that do not block, or block for a bounded time, on every flavour: {@code trySend},
 * {@code tryReceive} and the timed {@code send} and {@code receive}, with their sealed results
 * ({@code Full}, {@code Disconnected}, {@code Empty}, {@code Closed}:
 * docs/adr/0003-what-a-closed-receive-returns.md); and timeouts at the edges of {@link Duration}:
 * a non-positive timeout tries once without waiting, a huge one means no limit (issue 12, item 10;
 * docs/channels.md). That a non-blocking answer holds at an instant of the call
 * (docs/adr/0013-linearizable-try-operations.md) needs a schedule explorer: the Lincheck scenarios
 * of {@code ChannelModelCheckTest}.
 */
@Timeout(30)
class TryAndTimedContractTest {

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

    // ------------------------------------------------------------------ timeouts at the edges of
    // Duration

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
