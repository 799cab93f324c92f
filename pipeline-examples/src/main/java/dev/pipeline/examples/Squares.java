package dev.pipeline.examples;

import dev.pipeline.Pipeline;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * squares: the three-stage pipeline generate, square, collect; once with channels and a thread per
 * stage, once with the DSL, which does the same wiring for you.
 */
final class Squares {
    static final String DESCRIPTION =
            "generate -> square -> collect, with raw channels and threads, then with the DSL";

    private Squares() {}

    static void run(PrintStream out, String... args) throws Exception {
        out.println("Channels and threads: " + withChannels());
        out.println("The DSL:              " + withDsl());
    }

    static List<Long> withChannels() throws InterruptedException {
        Channel<Integer> numbers = Channel.bounded(16);
        Channel<Long> squares = Channel.bounded(16);
        Sender<Integer> tx1 = numbers.sender();
        Receiver<Integer> rx1 = numbers.receiver();
        Sender<Long> tx2 = squares.sender();
        Receiver<Long> rx2 = squares.receiver();
        List<Long> results = new ArrayList<>();

        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (tx1) {
                                        for (int i = 0; i < 20; i++) {
                                            tx1.send(i);
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        Thread transformer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (rx1;
                                            tx2) {
                                        for (int val : rx1) {
                                            tx2.send((long) val * val);
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        Thread consumer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (rx2) {
                                        for (long val : rx2) {
                                            results.add(val);
                                        }
                                    }
                                });
        producer.join();
        transformer.join();
        consumer.join(); // join makes the consumer's writes to results visible here
        return results;
    }

    static List<Long> withDsl() {
        return Pipeline.range(0, 20).map("square", x -> (long) x * x).toList();
    }
}
