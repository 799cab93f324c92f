package dev.pipeline.examples;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * shared-state: the same words two ways. Threads that look words up in a cache (data queried and
 * updated in place) share a map behind a lock; words that flow one way to a counter go through a
 * channel, and the counter owns its map alone.
 */
final class SharedState {
    static final String DESCRIPTION =
            "a cache behind a lock where data is queried in place, a pipeline where it flows";

    private static final List<String> WORDS =
            List.of("the quick brown fox jumps over the lazy dog and the end".split(" "));

    private SharedState() {}

    static void run(PrintStream out, String... args) throws InterruptedException {
        out.println(
                "A cache: four threads look up every word; each is computed once, then shared.");
        Map<String, Integer> cache = new HashMap<>(); // guarded by itself
        AtomicInteger computed = new AtomicInteger();
        AtomicInteger lookups = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        for (String w : WORDS) {
                                            synchronized (cache) { // query and update in place
                                                cache.computeIfAbsent(
                                                        w,
                                                        k -> {
                                                            computed.incrementAndGet();
                                                            return expensiveScore(k);
                                                        });
                                            }
                                            lookups.incrementAndGet();
                                        }
                                    }));
        }
        for (Thread t : readers) {
            t.join();
        }
        out.printf(
                "  %d lookups, %d computed, %d served from the cache%n",
                lookups.get(), computed.get(), lookups.get() - computed.get());

        out.println("A pipeline: the words flow one way to a counter that owns its map, no lock.");
        Channel<String> ch = Channel.bounded(8);
        Sender<String> tx = ch.sender();
        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (tx) {
                                        tx.sendAll(WORDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        Map<String, Integer> counts = new TreeMap<>(); // only this thread touches it
        try (Receiver<String> rx = ch.receiver()) {
            for (String w : rx) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        producer.join();
        out.println("  counts: " + counts);
    }

    private static int expensiveScore(String word) {
        return word.chars().sum(); // stands for a slow lookup worth caching
    }
}
