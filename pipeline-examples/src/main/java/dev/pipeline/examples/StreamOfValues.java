package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;
import java.util.List;

/**
 * stream: several values sent with a pause between them; the receiving loop ends by itself when
 * the sender closes.
 */
final class StreamOfValues {
    static final String DESCRIPTION =
            "several values sent with a pause; the receiving loop ends when the sender closes";

    private StreamOfValues() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<String> ch = Channel.bounded(4);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();

        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (tx) { // closing tx closes the channel
                                        for (String msg : List.of("one", "two", "three")) {
                                            tx.send(msg);
                                            Thread.sleep(200);
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });

        try (rx) {
            for (String received : rx) { // a Receiver is Iterable: ends when closed and drained
                out.println("Got: " + received);
            }
        }
        out.println("Channel closed, done.");
        producer.join();
    }
}
