package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The batch forms, on every flavour: {@code receiveBatch} waits for one item, then takes what is
 * there; {@code drainTo} moves what is there without waiting; {@code sendAll} checks every item
 * before it sends any, and hands back the unsent ones when every receiver closes midway.
 */
@Timeout(30)
class BatchContractTest {

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
}
