package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

/**
 * The rendezvous flavour ({@link Channel#rendezvous()}): a send completes only when a receiver has
 * taken its item; a sender that gives up (interrupted or timed out) with its item in the hand-off
 * slot takes it back, so the next blocked sender can hand off; a {@code trySend} with no receiver
 * waiting is {@code Full}. The hand-off rule: docs/adr/0013-linearizable-try-operations.md. A
 * select's send clause on a rendezvous channel is in {@link SelectContractTest}, a rendezvous send
 * with a non-positive timeout in {@link TryAndTimedContractTest}; capacity 0 also runs in every
 * parameterized test of the other contract files.
 */
@Timeout(30)
class RendezvousContractTest {

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
}
