package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.awaitBlocked;
import static dev.pipeline.channel.TestChannels.create;
import static dev.pipeline.channel.TestChannels.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Sending and receiving, on every flavour: the items of one producer arrive in the order sent, also
 * when several producers interleave; a send blocks while the channel is full and a receive while it
 * is empty; copied receivers share the items, each item going to exactly one of them. The
 * rendezvous hand-off has its own file ({@link RendezvousContractTest}), the forms that do not
 * block are in {@link TryAndTimedContractTest}, and what a send makes visible to the receiver is in
 * {@link HappensBeforeContractTest}. Handles and their copies: docs/adr/0002-handle-counting.md.
 */
@Timeout(30)
class SendReceiveContractTest {

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
}
