package dev.pipeline.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.ChannelStats;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The single-producer single-consumer ring ({@link SpscRingChannel}) the runtime uses between two
 * one-thread stages: one sender thread and one receiver thread mixing every send and receive
 * operation, single and in runs, with pauses that make each side park and be woken; closing,
 * failing and interrupting either side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpscRingChannelTest {
    private static final int SCALE = Integer.getInteger("pipeline.stress.scale", 1);

    private static Channel<Long> channel(int capacity) {
        return InternalChannels.singleProducerSingleConsumer(capacity, "spsc-test");
    }

    @ParameterizedTest(name = "capacity {0}, virtual {1}")
    @CsvSource({
        "1, false",
        "2, false",
        "3, false",
        "7, true",
        "16, false",
        "1000, true",
        "1024, false",
        "1024, true"
    })
    void everyItemArrivesOnceAndInOrder(int capacity, boolean virtual) throws Exception {
        int n = 200_000 * SCALE;
        Channel<Long> ch = channel(capacity);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer =
                thread(virtual, failure, () -> produce(tx, n, new SplittableRandom(capacity)));
        List<Long> got = new ArrayList<>(n);
        Thread consumer =
                thread(virtual, failure, () -> consume(rx, got, new SplittableRandom(~capacity)));
        producer.join();
        consumer.join();
        assertThat(failure.get()).isNull();
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            if (got.get(i) != i) {
                throw new AssertionError("item " + i + " was " + got.get(i));
            }
        }
        ChannelStats s = ch.stats();
        assertThat(s.sent()).isEqualTo(n);
        assertThat(s.received()).isEqualTo(n);
        assertThat(s.length()).isZero();
        assertThat(s.highWaterMark()).isBetween(1L, (long) capacity);
    }

    private static void produce(Sender<Long> tx, int n, SplittableRandom r) throws Exception {
        Object[] chunk = new Object[100];
        try (tx) {
            long i = 0;
            while (i < n) {
                switch (r.nextInt(5)) {
                    case 0 -> tx.send(i++);
                    case 1 -> {
                        int k = (int) Math.min(1 + r.nextInt(chunk.length), n - i);
                        for (int j = 0; j < k; j++) {
                            chunk[j] = i++;
                        }
                        Engine.output(tx).sendBatch(chunk, 0, k);
                    }
                    case 2 -> {
                        if (tx.trySend(i) instanceof SendResult.Sent) {
                            i++;
                        }
                    }
                    case 3 -> {
                        if (tx.send(i, Duration.ofMillis(1)) instanceof SendResult.Sent) {
                            i++;
                        }
                    }
                    default -> {
                        if (r.nextInt(2000) == 0) {
                            Thread.sleep(1); // let the consumer park
                        }
                    }
                }
            }
        }
    }

    private static void consume(Receiver<Long> rx, List<Long> got, SplittableRandom r)
            throws Exception {
        Object[] chunk = new Object[100];
        try (rx) {
            while (true) {
                switch (r.nextInt(6)) {
                    case 0 -> {
                        try {
                            got.add(rx.receive());
                        } catch (ChannelClosedException e) {
                            return;
                        }
                    }
                    case 1 -> {
                        int k = Engine.input(rx).receiveBatch(chunk, 1 + r.nextInt(100));
                        if (k < 0) {
                            return;
                        }
                        for (int j = 0; j < k; j++) {
                            got.add((Long) chunk[j]);
                        }
                    }
                    case 2 -> {
                        ReceiveResult<Long> res = rx.tryReceive();
                        if (res instanceof ReceiveResult.Received<Long> v) {
                            got.add(v.value());
                        } else if (res instanceof ReceiveResult.Closed) {
                            return;
                        }
                    }
                    case 3 -> {
                        ReceiveResult<Long> res = rx.receive(Duration.ofMillis(1));
                        if (res instanceof ReceiveResult.Received<Long> v) {
                            got.add(v.value());
                        } else if (res instanceof ReceiveResult.Closed) {
                            return;
                        }
                    }
                    case 4 -> rx.drainTo(got, 1 + r.nextInt(300));
                    default -> {
                        if (r.nextInt(2000) == 0) {
                            Thread.sleep(1); // let the producer fill up and park
                        }
                    }
                }
            }
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread thread(boolean virtual, AtomicReference<Throwable> failure, Body body) {
        Runnable task =
                () -> {
                    try {
                        body.run();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                };
        return virtual ? Thread.ofVirtual().start(task) : Thread.ofPlatform().start(task);
    }

    @Test
    void aParkedReceiverSeesTheItemsThenTheClose() throws Exception {
        Channel<Long> ch = channel(4);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        CompletableFuture<List<Long>> all =
                CompletableFuture.supplyAsync(
                        () -> {
                            List<Long> l = new ArrayList<>();
                            rx.forEach(l::add);
                            return l;
                        });
        for (long i = 0; i < 10; i++) {
            Thread.sleep(2); // the receiver parks between items
            tx.send(i);
        }
        tx.close();
        assertThat(all.get(30, TimeUnit.SECONDS))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void closingTheReceiverFailsABlockedSenderWithTheUnsentItem() throws Exception {
        Channel<Long> ch = channel(2);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        tx.send(1L);
        tx.send(2L);
        CompletableFuture<Throwable> blocked =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                tx.send(3L);
                                return null;
                            } catch (Throwable t) {
                                return t;
                            }
                        });
        Thread.sleep(20);
        assertThat(blocked).isNotDone();
        rx.close();
        Throwable t = blocked.get(30, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(ChannelClosedException.class);
        assertThat(((ChannelClosedException) t).unsent()).isEqualTo(3L);
    }

    @Test
    void aFailureReachesTheReceiverAfterTheItems() throws Exception {
        Channel<Long> ch = channel(8);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        tx.send(1L);
        tx.send(2L);
        tx.fail(new IllegalStateException("boom"));
        assertThat(rx.receive()).isEqualTo(1L);
        Object[] dst = new Object[4];
        assertThat(Engine.input(rx).receiveBatch(dst, 4)).isEqualTo(1);
        assertThat(dst[0]).isEqualTo(2L);
        assertThatThrownBy(() -> Engine.input(rx).receiveBatch(dst, 4))
                .isInstanceOf(ChannelClosedException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void interruptWakesABlockedReceiverAndABlockedSender() throws Exception {
        Channel<Long> ch = channel(1);
        Sender<Long> tx = ch.sender();
        Receiver<Long> rx = ch.receiver();
        Thread receiver = Thread.ofPlatform().start(() -> expectInterrupt(rx::receive));
        Thread.sleep(20);
        receiver.interrupt();
        receiver.join(30_000);
        assertThat(receiver.isAlive()).isFalse();

        tx.send(1L);
        Thread sender =
                Thread.ofPlatform()
                        .start(
                                () ->
                                        expectInterrupt(
                                                () -> {
                                                    tx.send(2L);
                                                    return null;
                                                }));
        Thread.sleep(20);
        sender.interrupt();
        sender.join(30_000);
        assertThat(sender.isAlive()).isFalse();
        assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Received<>(1L));
        assertThat(rx.tryReceive()).isInstanceOf(ReceiveResult.Empty.class);
    }

    private interface Blocking {
        Object call() throws Exception;
    }

    private static void expectInterrupt(Blocking call) {
        try {
            call.call();
            throw new AssertionError("returned instead of being interrupted");
        } catch (InterruptedException expected) {
            // the blocked call gave up
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void capacityIsExact() {
        for (int capacity : new int[] {1, 3, 8}) {
            Channel<Long> ch = channel(capacity);
            Sender<Long> tx = ch.sender();
            Object[] src = new Object[capacity + 5];
            for (int i = 0; i < src.length; i++) {
                src[i] = (long) i;
            }
            assertThat(((SenderHandle<Long>) tx).core.offerBatch(src, 0, src.length))
                    .isEqualTo(capacity);
            assertThat(tx.trySend(99L)).isInstanceOf(SendResult.Full.class);
            assertThat(ch.stats().length()).isEqualTo(capacity);
        }
    }
}
