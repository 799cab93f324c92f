package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

/** Lists the examples and runs one by name: {@code list}, or {@code run NAME [ARGS]}. */
public final class Examples {
    private Examples() {}

    /**
     * Entry point.
     *
     * @param args {@code list}, or {@code run NAME [ARGS]}
     * @throws Exception if the example fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("run") && args[1].equals("hello")) {
            hello();
            return;
        }
        System.out.println("hello  one message sent from a spawned thread and received");
    }

    private static void hello() throws Exception {
        Channel<String> ch = Channel.bounded(1);
        Sender<String> tx = ch.sender();
        Receiver<String> rx = ch.receiver();
        Thread t =
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
            System.out.println("Got: " + rx.receive());
        }
        t.join();
    }
}
