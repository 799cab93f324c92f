package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;

/**
 * errors: a send after the receiver closed gets its value back; a receive after every sender
 * closed reports closed. Signals about the other end, not failures.
 */
final class Errors {
    static final String DESCRIPTION =
            "send after the receiver closed hands the value back; receive after senders closed";

    private Errors() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(4);
        Sender<Integer> tx = ch.sender();
        ch.receiver().close(); // Rust: drop(rx)
        try {
            tx.send(42);
            out.println("sent");
        } catch (ChannelClosedException e) {
            out.println("Send failed: " + e.getMessage() + " - got back " + e.unsent());
        }
        switch (tx.trySend(43)) {
            case SendResult.Sent<Integer> s -> out.println("sent");
            case SendResult.Full<Integer>(var back) -> out.println("full, got back " + back);
            case SendResult.Disconnected<Integer>(var back) ->
                    out.println("trySend: Disconnected, got back " + back);
        }
        tx.close();

        Channel<Integer> ch2 = Channel.bounded(4);
        ch2.sender().close(); // Rust: drop(tx2)
        try (Receiver<Integer> rx2 = ch2.receiver()) {
            out.println("got " + rx2.receive());
        } catch (ChannelClosedException e) {
            out.println("Recv failed: " + e.getMessage() + " - every sender is gone");
        }
    }
}
