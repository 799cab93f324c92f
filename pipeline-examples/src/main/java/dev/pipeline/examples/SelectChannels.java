package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Select;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * select: one thread waits on two channels at once, with a timeout, and drops each channel from the
 * select when it closes.
 */
final class SelectChannels {
    static final String DESCRIPTION = "wait on several channels at once, with a timeout (Select)";

    private SelectChannels() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<String> orders = Channel.bounded(4, "orders");
        Channel<String> cancels = Channel.bounded(4, "cancels");
        List<Thread> producers =
                List.of(
                        produce(orders.sender(), 0, 20, "order-1", "order-2", "order-3"),
                        produce(cancels.sender(), 300, 0, "cancel-1"));

        List<Receiver<String>> open =
                new ArrayList<>(List.of(orders.receiver(), cancels.receiver()));
        while (!open.isEmpty()) {
            Select<String> select = Select.create();
            for (Receiver<String> rx : open) {
                select.onReceive(rx, item -> rx.channel().name() + ": " + item);
            }
            try {
                out.println(select.select(Duration.ofMillis(100), () -> "nothing within 100 ms"));
            } catch (ChannelClosedException e) {
                out.println(e.channelName() + " closed, dropped from the select");
                for (Receiver<String> rx : List.copyOf(open)) {
                    if (rx.channel().name().equals(e.channelName())) {
                        rx.close();
                        open.remove(rx);
                    }
                }
            }
        }
        for (Thread t : producers) {
            t.join();
        }
    }

    private static Thread produce(Sender<String> tx, long delayMs, long pauseMs, String... items) {
        return Thread.ofPlatform()
                .start(
                        () -> {
                            try (tx) {
                                Thread.sleep(delayMs);
                                for (String item : items) {
                                    tx.send(item);
                                    Thread.sleep(pauseMs);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
    }
}
