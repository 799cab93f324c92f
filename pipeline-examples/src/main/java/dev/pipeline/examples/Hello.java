package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;

/** hello: one message sent from a spawned thread and received. */
final class Hello {
    static final String DESCRIPTION = "one message sent from a spawned thread and received";

    private Hello() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<String> ch = Channel.bounded(1);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();

        // the thread owns tx: try-with-resources closes it, as Rust drops it at the end of the move
        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (tx) {
                                        tx.send("hello from the thread");
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });

        try (rx) {
            out.println("Got: " + rx.receive()); // blocks until the value arrives
        }
        producer.join();
    }
}
