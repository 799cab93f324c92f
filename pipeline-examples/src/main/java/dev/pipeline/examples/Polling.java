package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;
import java.time.Duration;

/**
 * polling: tryReceive never waits, receive with a timeout waits at most that long; both tell
 * "nothing yet" (Empty) from "nothing ever" (Closed).
 */
final class Polling {
    static final String DESCRIPTION =
            "tryReceive and receive with a timeout: Empty (nothing yet) versus Closed (never)";

    private Polling() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<String> ch = Channel.bounded(1);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (tx) {
                                        Thread.sleep(300);
                                        tx.send("delayed message");
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });

        try (rx) {
            out.println("tryReceive:             " + describe(rx.tryReceive()));
            out.println("receive(50 ms):         " + describe(rx.receive(Duration.ofMillis(50))));
            out.println("receive(2 s):           " + describe(rx.receive(Duration.ofSeconds(2))));
            producer.join(); // the sender is closed now
            out.println("tryReceive after close: " + describe(rx.tryReceive()));
        }
    }

    private static String describe(ReceiveResult<String> result) {
        return switch (result) {
            case ReceiveResult.Received<String>(var msg) -> "Got: " + msg;
            case ReceiveResult.Empty<String> e -> "Empty (nothing yet, or timed out)";
            case ReceiveResult.Closed<String> c -> "Closed (every sender is gone)";
        };
    }
}
