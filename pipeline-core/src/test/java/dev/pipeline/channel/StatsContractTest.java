package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

/**
 * What a channel reports about itself ({@link Channel#stats()}, {@link Channel#length()}, {@link
 * Channel#capacity()}): items sent, received and buffered, the high-water mark, the time senders
 * and receivers spent blocked, and the open handles.
 */
@Timeout(30)
class StatsContractTest {

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
        // hold the sender: once asked for, the original handle is the caller's, and one dropped
        // while open is closed by the leak check (this loop asked for it afresh each time)
        Sender<Integer> tx = ch.sender();
        for (int i = 0; i < 5000; i++) {
            tx.send(i);
        }
        assertThat(ch.capacity()).isEqualTo(Channel.UNBOUNDED);
        assertThat(ch.length()).isEqualTo(5000);
        assertThat(ch.stats().highWaterMark()).isEqualTo(5000);
        assertThat(ch.toString()).contains("unbounded");
    }
}
