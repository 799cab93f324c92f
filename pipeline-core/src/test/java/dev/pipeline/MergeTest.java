package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A merge taken by the next stage itself (no forwarding thread): every source's items arrive once
 * and in the source's order, whatever the capacities (rendezvous included), thread kinds, nesting
 * and source speeds; failure, early exit and cancel wind every source down; metrics add up.
 */
@Timeout(60)
class MergeTest {
    private final Threads threads = new Threads();

    /** Source {@code s} sends {@code s * 1_000_000 + i} for i in [0, n), yielding now and then. */
    private static Pipeline<Integer> source(int s, int n, int capacity, long seed) {
        Random r = new Random(seed);
        int pauseEvery = 1 + r.nextInt(500);
        return Pipeline.<Integer>generate(
                        "src-" + s,
                        out -> {
                            for (int i = 0; i < n; i++) {
                                out.send(s * 1_000_000 + i);
                                if (i % pauseEvery == 0) {
                                    Thread.yield();
                                }
                            }
                        })
                .capacity(capacity);
    }

    private static void assertEachSourceComplete(List<Integer> got, int[] sizes) {
        Map<Integer, List<Integer>> bySource =
                got.stream().collect(Collectors.groupingBy(v -> v / 1_000_000));
        for (int s = 0; s < sizes.length; s++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < sizes[s]; i++) {
                expected.add(s * 1_000_000 + i);
            }
            assertThat(bySource.getOrDefault(s, List.of()))
                    .as("items of source %d, in order", s)
                    .containsExactlyElementsOf(expected);
        }
        assertThat(got).hasSize(java.util.Arrays.stream(sizes).sum());
    }

    @RepeatedTest(30)
    void randomSourcesCapacitiesAndThreadKindsLoseNothingAndKeepEachOrder() {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        int sources = 1 + r.nextInt(6);
        int[] sizes = new int[sources];
        List<Pipeline<Integer>> list = new ArrayList<>();
        int[] capacities = {0, 1, 2, 7, 64, 1024};
        for (int s = 0; s < sources; s++) {
            sizes[s] = r.nextInt(5) == 0 ? 0 : r.nextInt(20_000);
            list.add(source(s, sizes[s], capacities[r.nextInt(capacities.length)], r.nextLong()));
        }
        Pipeline<Integer> merged =
                Pipeline.merge(list).capacity(capacities[r.nextInt(capacities.length)]);
        Pipeline<Integer> p = r.nextBoolean() ? merged.map("id", x -> x) : merged;
        if (r.nextBoolean()) {
            p = p.withVirtualThreads();
        }
        List<Integer> got = threads.watch(p).toList();
        assertEachSourceComplete(got, sizes);
        threads.assertAllEnded();
    }

    @Test
    void aMergeOfMergesIsTakenWholeByTheNextStage() {
        int[] sizes = {3000, 1, 0, 5000, 2500};
        Pipeline<Integer> inner1 = Pipeline.merge(source(0, sizes[0], 16, 1), source(1, 1, 0, 2));
        Pipeline<Integer> inner2 =
                Pipeline.merge(
                        source(2, 0, 1, 3),
                        Pipeline.merge(source(3, sizes[3], 2, 4), source(4, sizes[4], 1024, 5)));
        PipelineRun<List<Integer>> run =
                threads.watch(Pipeline.merge(inner1, inner2).map("id", x -> x))
                        .start(Collectors.toList());
        List<Integer> got = await(run);
        assertEachSourceComplete(got, sizes);
        // five sources and the map and the terminal: no forwarding thread
        assertThat(threads.seen).hasSize(7);
        threads.assertAllEnded();
        PipelineMetrics m = run.metrics();
        StageMetrics outer = stage(m, "merge#4");
        assertThat(outer.workers()).isZero();
        long total = java.util.Arrays.stream(sizes).sum();
        assertThat(stage(m, "id").itemsIn()).isEqualTo(total);
        assertThat(m.stages().stream().filter(s -> s.name().startsWith("merge")))
                .allSatisfy(s -> assertThat(s.itemsIn()).isEqualTo(s.itemsOut()));
        assertThat(m.report()).doesNotContain("NaN").contains("merge#4");
    }

    @Test
    void aMergeBeforeAStageThatCannotTakeItForwardsAsBefore() {
        int[] sizes = {1000, 2000};
        List<Integer> got =
                threads.watch(
                                Pipeline.merge(source(0, 1000, 4, 1), source(1, 2000, 4, 2))
                                        .mapParallel(3, x -> x))
                        .toList();
        assertEachSourceComplete(got, sizes);
        // two sources, two forwarders, three workers (and the parallel stage's own threads), sink
        assertThat(threads.seen.size()).isGreaterThan(5);
        threads.assertAllEnded();
    }

    @Test
    void aFailingSourceFailsTheRunAfterTheOthersItemsAndStopsThem() {
        Pipeline<Integer> endless =
                Pipeline.generate(
                        "endless",
                        out -> {
                            for (int i = 0; ; i++) {
                                out.send(i);
                            }
                        });
        Pipeline<Integer> bad =
                Pipeline.generate(
                        "bad",
                        out -> {
                            for (int i = 0; i < 1000; i++) {
                                out.send(-i);
                            }
                            throw new IllegalStateException("bad source");
                        });
        assertThatThrownBy(() -> threads.watch(Pipeline.merge(endless, bad).map(x -> x)).count())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("bad"))
                .hasRootCauseInstanceOf(IllegalStateException.class);
        threads.assertAllEnded();
    }

    @Test
    void anEarlyExitDownstreamCancelsEverySourceQuietly() {
        Pipeline<Integer> a = Pipeline.generate("a", out -> infinite(out, 0));
        Pipeline<Integer> b = Pipeline.generate("b", out -> infinite(out, 1));
        List<Integer> got =
                threads.watch(Pipeline.merge(a, b).takeWhile(x -> x < 50_000_000)).toList();
        assertThat(got).isNotEmpty();
        threads.assertAllEnded();
    }

    private static void infinite(dev.pipeline.channel.Sender<Integer> out, int parity)
            throws InterruptedException {
        for (int i = parity; i < 100_000_000; i += 2) {
            out.send(i);
        }
    }

    @Test
    void cancelWakesAStageParkedOnEveryInput() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Pipeline<Integer>> idle = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            int id = s;
            idle.add(
                    Pipeline.generate(
                            "idle-" + s,
                            out -> {
                                out.send(id);
                                release.await(); // then nothing more: the next stage waits on all
                            }));
        }
        CountDownLatch seen = new CountDownLatch(3);
        PipelineRun<Void> run =
                threads.watch(Pipeline.merge(idle).named("idle").peek(x -> seen.countDown()))
                        .start();
        assertThat(seen.await(30, TimeUnit.SECONDS)).isTrue();
        Thread peek =
                threads.seen.stream()
                        .filter(t -> t.getName().equals("idle-peek"))
                        .findFirst()
                        .orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (peek.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("peek parked").isLessThan(deadline);
            Thread.sleep(1);
        }
        run.cancel();
        assertThatThrownBy(() -> run.await(Duration.ofSeconds(30)))
                .isInstanceOf(CancellationException.class);
        threads.assertAllEnded();
    }

    @Test
    void slowSourcesWakeTheParkedStageForEveryItem() {
        int[] sizes = {200, 150, 1, 180};
        List<Pipeline<Integer>> list = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            int id = s;
            int n = sizes[s];
            list.add(
                    Pipeline.generate(
                            "slow-" + s,
                            out -> {
                                for (int i = 0; i < n; i++) {
                                    out.send(id * 1_000_000 + i);
                                    if (i % 20 == id) {
                                        Thread.sleep(1); // long enough for the sink to park
                                    }
                                }
                            }));
        }
        List<Integer> got = threads.watch(Pipeline.merge(list)).toList();
        assertEachSourceComplete(got, sizes);
        threads.assertAllEnded();
    }

    private static <R> R await(PipelineRun<R> run) {
        try {
            return run.await(Duration.ofSeconds(30));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static StageMetrics stage(PipelineMetrics m, String name) {
        return m.stages().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + name + " in " + m.stages()));
    }
}
