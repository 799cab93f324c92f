package dev.pipeline.examples;

import dev.pipeline.Pipeline;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * producers: five threads send through copies of one sender; the channel closes when all are done.
 * Then the classic bug (the original sender never closed), how the library catches it, and how
 * the DSL rules it out.
 */
final class Producers {
    static final String DESCRIPTION =
            "five threads send through sender copies; the forgotten-original-sender bug, caught";

    private Producers() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        out.println("1) Copy the sender for each thread, then close the original:");
        Started right = startProducers(true);
        try (Receiver<String> rx = right.rx()) {
            for (String msg : rx) {
                out.println("   " + msg);
            }
        }
        right.join();
        out.println("   every sender closed: the loop ended.");

        out.println("2) The classic bug: the original sender is never closed.");
        out.println(
                "   The loop would hang forever; here it polls with a timeout and runs the GC.");
        Started buggy = startProducers(false);
        int received = 0;
        boolean stalled = false;
        boolean closed = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try (Receiver<String> rx = buggy.rx()) {
            while (!closed && System.nanoTime() < deadline) {
                switch (rx.receive(Duration.ofMillis(50))) {
                    case ReceiveResult.Received<String> r -> received++;
                    case ReceiveResult.Empty<String> e -> {
                        if (!stalled) {
                            stalled = true;
                            out.println("   " + received + " received, then nothing: still open.");
                        }
                        System.gc(); // the forgotten sender is unreachable: let the GC find it
                    }
                    case ReceiveResult.Closed<String> c -> closed = true;
                }
            }
        }
        out.println(
                closed
                        ? "   the leaked sender was reported (a WARN with where it was created)"
                                + " and closed: the loop ended."
                        : "   still open after 5 s: without the leak report it hangs forever.");
        buggy.join();

        out.println("3) The DSL makes the bug impossible: each source's sender is closed for it.");
        List<Pipeline<String>> sources =
                IntStream.range(0, 5)
                        .mapToObj(
                                i ->
                                        Pipeline.<String>generate(
                                                tx -> tx.send("Message from source " + i)))
                        .toList();
        Pipeline.merge(sources).forEach(msg -> out.println("   " + msg));
        out.println("   every source ended: the merged stream ended.");
    }

    /** The producer threads and the one handle the caller gets back. */
    private record Started(Receiver<String> rx, List<Thread> threads) {
        void join() throws InterruptedException {
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    // Only the receiver leaves this method: when closeOriginal is false, the original sender is
    // forgotten here, still open, and unreachable once the method returns.
    private static Started startProducers(boolean closeOriginal) {
        Channel<String> ch = Channel.bounded(16);
        Sender<String> tx = ch.sender();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Sender<String> copy = tx.copy();
            int id = i;
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try (copy) {
                                            copy.send("Message from thread " + id);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    }));
        }
        if (closeOriginal) {
            tx.close(); // Rust: drop(tx)
        }
        return new Started(ch.receiver(), threads);
    }
}
