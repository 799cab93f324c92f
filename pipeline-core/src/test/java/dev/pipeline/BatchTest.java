package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code batch(size)} takes what is ready in runs (into an array it reuses) and waits for the
 * rest: whatever the size (below, at and above the runtime's run length of 256), capacity
 * (rendezvous included) and thread kind, every batch but the last is full, the last holds the
 * remainder, and the items flatten back to the input in order.
 */
@Timeout(60)
class BatchTest {
    private final Threads threads = new Threads();

    @RepeatedTest(20)
    void fullBatchesInOrderAndTheRemainderLast() {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        int n = r.nextInt(30_000);
        int size = 1 + r.nextInt(r.nextBoolean() ? 10 : 1_000);
        int capacity = r.nextInt(4) == 0 ? r.nextInt(2) : 1 + r.nextInt(2048);
        Pipeline<List<Integer>> p =
                Pipeline.range(0, n).capacity(capacity).map(x -> x).capacity(capacity).batch(size);
        if (r.nextBoolean()) {
            p = p.withVirtualThreads();
        }
        List<List<Integer>> batches = threads.watch(p).toList();
        String what = "seed " + seed + ": n=" + n + " size=" + size + " capacity=" + capacity;
        List<Integer> flat = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            List<Integer> batch = batches.get(b);
            if (b < batches.size() - 1) {
                assertThat(batch).as(what + ", batch " + b).hasSize(size);
            } else {
                assertThat(batch.size()).as(what + ", last batch").isBetween(1, size);
            }
            flat.addAll(batch);
        }
        assertThat(batches).as(what).hasSize((n + size - 1) / size);
        for (int i = 0; i < flat.size(); i++) {
            if (flat.get(i) != i) {
                assertThat(flat.get(i)).as(what + ", item " + i).isEqualTo(i);
            }
        }
        assertThat(flat).as(what).hasSize(n);
        threads.assertAllEnded();
    }
}
