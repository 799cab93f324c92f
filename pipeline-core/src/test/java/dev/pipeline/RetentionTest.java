package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a run keeps reachable. While it goes on, an edge refers only to its items in flight (it
 * clears the slots it hands over, ADR 16). Once finished, a caller that keeps the {@link
 * PipelineRun} (for its metrics) must not keep the items with it, whether the run completed, was
 * stopped early or failed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetentionTest {

    /** An item the test can tell apart and watch through a weak reference. */
    private record Payload(int i, byte[] bytes) {}

    /** The payloads a test's source made, each watched through a weak reference. */
    private final ConcurrentLinkedQueue<WeakReference<Payload>> made =
            new ConcurrentLinkedQueue<>();

    /** {@code range(0, items)} mapped to payloads (recorded in {@link #made}), every edge sized. */
    private Pipeline<Payload> payloads(int items, int capacity) {
        return Pipeline.range(0, items)
                .capacity(capacity)
                .map(
                        "payload",
                        i -> {
                            Payload x = new Payload(i, new byte[64]);
                            made.add(new WeakReference<>(x));
                            return x;
                        })
                .capacity(capacity);
    }

    @ParameterizedTest(name = "items {0}, capacity {1}, virtual {2}")
    @CsvSource({"5000, 1024, false", "5000, 16, true", "300, 1, false", "10, 1024, false"})
    void aFinishedRunKeepsNoItemReachable(int items, int capacity, boolean virtual)
            throws Exception {
        Pipeline<Payload> p =
                payloads(items, capacity).filter("all", x -> x.i() >= 0).capacity(capacity);
        PipelineRun<Long> run = (virtual ? p.withVirtualThreads() : p).start(Collectors.counting());
        assertThat(run.await()).isEqualTo(items);
        assertThat(made).hasSize(items);

        assertNothingHeld(run, p);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "map, 5000",
        "mapParallel, 5000",
        "mapParallelUnordered, 5000",
        "mapParallelByKey, 5000",
        "batch, 50",
        "broadcast, 7500",
        "merge, 10000"
    })
    void aFinishedRunOfEveryShapeKeepsNoItemReachable(String shape, long expected)
            throws Exception {
        Pipeline<Payload> source = payloads(5000, Pipeline.DEFAULT_CAPACITY);
        Pipeline<?> p =
                switch (shape) {
                    case "map" -> source.map("same", x -> x);
                    case "mapParallel" -> source.mapParallel(3, x -> x);
                    case "mapParallelUnordered" -> source.mapParallelUnordered(3, x -> x);
                    case "mapParallelByKey" -> source.mapParallelByKey(3, x -> x.i() % 5, x -> x);
                    case "batch" -> source.batch(100);
                    case "broadcast" ->
                            source.broadcast(
                                    List.<Function<Pipeline<Payload>, Pipeline<Payload>>>of(
                                            q -> q.map("a", x -> x),
                                            q -> q.filter("b", x -> x.i() % 2 == 0)));
                    case "merge" -> Pipeline.merge(List.of(source, source));
                    default -> throw new IllegalArgumentException(shape);
                };
        PipelineRun<Long> run = p.start(Collectors.counting());
        assertThat(run.await()).isEqualTo(expected);

        assertNothingHeld(run, p);
    }

    @ParameterizedTest(name = "take {0} of {1}")
    @CsvSource({"1, 5000", "100, 5000", "4999, 5000"})
    void aRunStoppedEarlyKeepsNoItemReachable(int take, int items) throws Exception {
        Pipeline<Payload> p = payloads(items, Pipeline.DEFAULT_CAPACITY).take(take);
        PipelineRun<Long> run = p.start(Collectors.counting());
        assertThat(run.await()).isEqualTo(take);

        assertNothingHeld(run, p);
    }

    @ParameterizedTest(name = "fails at item {0} of {1}")
    @CsvSource({"0, 5000", "3000, 5000", "4999, 5000"})
    void aFailedRunKeepsNoItemReachable(int failAt, int items) throws Exception {
        Pipeline<Payload> p =
                payloads(items, Pipeline.DEFAULT_CAPACITY)
                        .map(
                                "check",
                                x -> {
                                    if (x.i() == failAt) {
                                        throw new IllegalStateException("bad item " + failAt);
                                    }
                                    return x;
                                });
        PipelineRun<Long> run = p.start(Collectors.counting());
        assertThatThrownBy(run::await)
                .isInstanceOf(PipelineException.class)
                .hasRootCauseMessage("bad item " + failAt);

        assertNothingHeld(run, p);
    }

    /**
     * While a run goes on, an edge holds the items in flight, not the last {@code capacity} items
     * it ever carried (issue 12, item 6): once the terminal has taken every item and every stage
     * waits for more, no item is reachable, though the source is still open and every edge alive.
     */
    @ParameterizedTest(name = "capacity {0}, virtual {1}")
    @CsvSource({"1024, false", "256, true", "7, false"})
    void aRunningEdgeHoldsOnlyItsItemsInFlight(int capacity, boolean virtual) throws Exception {
        int items = 3000;
        CountDownLatch allTaken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger taken = new AtomicInteger();
        Pipeline<Integer> source =
                Pipeline.<Integer>generate(
                                "open",
                                out -> {
                                    for (int i = 0; i < items; i++) {
                                        out.send(i);
                                    }
                                    release.await(); // stays open: no edge is closed yet
                                })
                        .capacity(capacity);
        Pipeline<Payload> p =
                source.map(
                                "payload",
                                i -> {
                                    Payload x = new Payload(i, new byte[64]);
                                    made.add(new WeakReference<>(x));
                                    return x;
                                })
                        .capacity(capacity)
                        .map("same", x -> x)
                        .capacity(capacity);
        PipelineRun<Void> run =
                (virtual ? p.withVirtualThreads() : p)
                        .peek(
                                "last",
                                x -> {
                                    if (taken.incrementAndGet() == items) {
                                        allTaken.countDown();
                                    }
                                })
                        .start();
        assertThat(allTaken.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            List<WeakReference<Payload>> refs = List.copyOf(made);
            assertThat(refs).hasSize(items);
            long left = refs.size();
            for (int attempt = 0; attempt < 50 && left > 0; attempt++) {
                System.gc();
                Thread.sleep(20);
                left = refs.stream().filter(r -> r.get() != null).count();
            }
            assertThat(left).as("delivered items still reachable while the run goes on").isZero();
        } finally {
            release.countDown();
        }
        run.await();
    }

    /**
     * Collects garbage until every payload made is cleared, failing with how many are not, while
     * the run (and through its metrics the channels) and the blueprint stay reachable.
     */
    private void assertNothingHeld(PipelineRun<?> run, Pipeline<?> blueprint)
            throws InterruptedException {
        List<WeakReference<Payload>> refs = List.copyOf(made);
        long left = refs.size();
        for (int attempt = 0; attempt < 50 && left > 0; attempt++) {
            System.gc();
            Thread.sleep(20);
            left = refs.stream().filter(r -> r.get() != null).count();
        }
        assertThat(left).as("items still reachable after the run ended").isZero();
        assertThat(run.metrics().stages()).isNotEmpty();
        Reference.reachabilityFence(run);
        Reference.reachabilityFence(blueprint);
    }
}
