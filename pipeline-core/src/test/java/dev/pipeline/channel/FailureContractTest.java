package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Failing a channel ({@link Sender#fail}), on every flavour: receivers get the items buffered
 * before the failure, then the failure as the cause, also at the end of iteration; other senders'
 * sends fail with it, a blocked sender is woken with it, and the first failure wins
 * (docs/adr/0001-close-versus-fail.md).
 */
@Timeout(30)
class FailureContractTest {

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
}
