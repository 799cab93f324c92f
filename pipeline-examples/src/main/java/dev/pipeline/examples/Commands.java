package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;

/**
 * commands: typed messages (a sealed interface of records) handled by a worker thread with a
 * pattern-matching switch: the actor model in miniature, with a reply channel for a question.
 */
final class Commands {
    static final String DESCRIPTION =
            "typed messages to a worker (an actor in miniature), with a reply channel";

    private Commands() {}

    /** What the worker understands: the compiler checks that the switch covers every kind. */
    sealed interface Command {}

    record Process(String data) implements Command {}

    /** A request: the worker answers on {@code replyTo}, then closes it. */
    record CountProcessed(Sender<Integer> replyTo) implements Command {}

    record Shutdown() implements Command {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        Channel<Command> ch = Channel.bounded(8);
        Receiver<Command> rx = ch.receiver();
        Thread worker = Thread.ofPlatform().name("worker").start(() -> work(rx, out));

        try (Sender<Command> tx = ch.sender()) {
            tx.send(new Process("task-1"));
            tx.send(new Process("task-2"));

            Channel<Integer> reply = Channel.bounded(1);
            tx.send(new CountProcessed(reply.sender()));
            try (Receiver<Integer> answer = reply.receiver()) {
                out.println("Asked the worker: it has processed " + answer.receive() + " tasks");
            }

            tx.send(new Shutdown());
        }
        worker.join();
    }

    private static void work(Receiver<Command> rx, PrintStream out) {
        int processed = 0;
        try (rx) {
            while (true) {
                switch (rx.receive()) {
                    case Process(var data) -> {
                        out.println("Processing: " + data);
                        processed++;
                    }
                    case CountProcessed(var replyTo) -> {
                        try (replyTo) {
                            replyTo.send(processed);
                        }
                    }
                    case Shutdown() -> {
                        out.println("Shutting down");
                        return;
                    }
                }
            }
        } catch (ChannelClosedException e) {
            out.println("Channel closed unexpectedly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
