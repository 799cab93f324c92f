package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

@Timeout(20)
class ParallelTest {
    private final Threads threads = new Threads();

    private static int jitter(int x) throws InterruptedException {
        if (ThreadLocalRandom.current().nextInt(20) == 0) {
            Thread.sleep(1);
        }
        return x;
    }

    @Test
    void mapParallelKeepsInputOrder() {
        List<Integer> out =
                threads.watch(Pipeline.range(0, 2000).mapParallel(4, x -> jitter(x) * 2)).toList();
        assertThat(out).isEqualTo(IntStream.range(0, 2000).map(x -> x * 2).boxed().toList());
        threads.assertAllEnded();
    }

    @Test
    void mapParallelRunsOnSeveralWorkersAtOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        threads.watch(
                        Pipeline.range(0, 40)
                                .mapParallel(
                                        4,
                                        x -> {
                                            int now = inFlight.incrementAndGet();
                                            maxInFlight.accumulateAndGet(now, Math::max);
                                            Thread.sleep(5);
                                            inFlight.decrementAndGet();
                                            return x;
                                        }))
                .toList();
        assertThat(maxInFlight.get()).isGreaterThan(1).isLessThanOrEqualTo(4);
        threads.assertAllEnded();
    }

    @Test
    void mapParallelSkipPolicyKeepsOrderOfTheRest() {
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 100)
                                        .mapParallel(
                                                3,
                                                x -> {
                                                    if (x % 7 == 0) {
                                                        throw new IOException("seven");
                                                    }
                                                    return jitter(x);
                                                })
                                        .onError(ErrorPolicy.skip()))
                        .toList();
        assertThat(out).isEqualTo(IntStream.range(0, 100).filter(x -> x % 7 != 0).boxed().toList());
        threads.assertAllEnded();
    }

    @Test
    void mapParallelFailureNamesTheStage() {
        assertThatThrownBy(
                        () ->
                                threads.watch(
                                                Pipeline.range(0, 1000)
                                                        .mapParallel(
                                                                "par",
                                                                3,
                                                                x -> {
                                                                    if (x == 500) {
                                                                        throw new IOException("x");
                                                                    }
                                                                    return x;
                                                                }))
                                        .toList())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("par"));
        threads.assertAllEnded();
    }

    @Test
    void mapParallelUnorderedHandlesEveryItemOnce() {
        List<Integer> out =
                threads.watch(Pipeline.range(0, 5000).mapParallelUnordered(4, x -> jitter(x)))
                        .toList();
        assertThat(out)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 5000).boxed().toList());
        threads.assertAllEnded();
    }

    @Test
    void mapParallelByKeyHandlesEachKeyInOrderOneAtATime() {
        Map<Integer, AtomicInteger> busy = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 3000)
                                        .mapParallelByKey(
                                                4,
                                                x -> x % 13,
                                                x -> {
                                                    AtomicInteger b =
                                                            busy.computeIfAbsent(
                                                                    x % 13,
                                                                    k -> new AtomicInteger());
                                                    if (b.incrementAndGet() > 1) {
                                                        overlaps.incrementAndGet();
                                                    }
                                                    jitter(x);
                                                    b.decrementAndGet();
                                                    return x;
                                                }))
                        .toList();
        assertThat(overlaps.get()).isZero();
        assertThat(out).hasSize(3000);
        for (int k = 0; k < 13; k++) {
            int key = k;
            assertThat(out.stream().filter(x -> x % 13 == key).toList()).isSorted();
        }
        threads.assertAllEnded();
    }

    @Test
    void parallelMapsCancelUpstreamOnTake() {
        assertThat(
                        threads.watch(
                                        Pipeline.range(0, Integer.MAX_VALUE)
                                                .mapParallel(3, x -> x)
                                                .mapParallelUnordered(2, x -> x)
                                                .mapParallelByKey(2, x -> x % 2, x -> x)
                                                .take(50))
                                .count())
                .isEqualTo(50);
        threads.assertAllEnded();
    }

    @Test
    void singleWorkerParallelMapWorks() {
        assertThat(threads.watch(Pipeline.range(0, 100).mapParallel(1, x -> x + 1)).toList())
                .isEqualTo(IntStream.range(1, 101).boxed().toList());
        threads.assertAllEnded();
    }
}
