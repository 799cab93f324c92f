package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelStats;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;

/**
 * backpressure: a channel of capacity 2 and a slow consumer; the producer is held back to the
 * consumer's pace.
 */
final class Backpressure {
    static final String DESCRIPTION =
            "capacity 2 and a slow consumer: the producer is held back to the consumer's pace";

    static final long CONSUMER_PAUSE_MS = 100;

    private Backpressure() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(2);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        long start = System.nanoTime();

        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (tx) {
                                        for (int i = 0; i < 10; i++) {
                                            print(out, start, "Sending " + i);
                                            tx.send(i); // blocks while 2 items wait
                                            print(out, start, "Sent " + i);
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });

        try (rx) {
            for (int val : rx) {
                print(out, start, "                Received " + val);
                Thread.sleep(CONSUMER_PAUSE_MS); // slow consumer
            }
        }
        producer.join();

        ChannelStats stats = ch.stats();
        out.printf(
                "The channel never held more than %d items; the producer waited %d ms for room.%n",
                stats.highWaterMark(), stats.sendBlockedNanos() / 1_000_000);
    }

    private static void print(PrintStream out, long start, String what) {
        out.printf("%5d ms  %s%n", (System.nanoTime() - start) / 1_000_000, what);
    }
}
