package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Sender;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every run ends, and says why (issue 12, items 5, 7, 9, 10, 12, 13 and 14): an {@link Error} in
 * any kind of stage, user code throwing the library's own {@link ChannelClosedException}, a stage
 * awaiting its own run, durations at the edges of {@link Duration}, duplicate stage names, and
 * {@code await} racing interrupts, timeouts and completion.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RunEndsTest {
    private final Threads threads = new Threads();

    private static Pipeline<Integer> endless() {
        return Pipeline.generate(
                "endless",
                out -> {
                    for (int i = 0; ; i++) {
                        out.send(i);
                    }
                });
    }

    /** Throws the named {@link Error} (a fresh one each call). */
    private static Error error(String kind) {
        return switch (kind) {
            case "OutOfMemoryError" -> new OutOfMemoryError("test: no memory");
            case "StackOverflowError" -> new StackOverflowError("test: deep");
            case "AssertionError" -> new AssertionError("test: broken invariant");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Throws {@code e} when {@code x == 100}, else returns {@code x}. */
    private static int at100(int x, Supplier<Throwable> e) throws Exception {
        if (x == 100) {
            Throwable t = e.get();
            if (t instanceof Error err) {
                throw err;
            }
            throw (Exception) t;
        }
        return x;
    }

    /**
     * A pipeline in which the stage of {@code kind} throws {@code t} on item 100; the terminal's
     * result is a count. Returns the blueprint run and the name of the stage that must be blamed.
     */
    private record Shape(String stage, Supplier<Object> run) {}

    private Shape shape(String kind, Supplier<Throwable> t, boolean virtual) {
        Pipeline<Integer> src = virtual ? endless().withVirtualThreads() : endless();
        Function<Pipeline<?>, Supplier<Object>> count = p -> () -> threads.watch(p).count();
        return switch (kind) {
            case "source" ->
                    new Shape(
                            "src",
                            count.apply(
                                    (virtual
                                                    ? Pipeline.<Integer>generate(
                                                                    "src",
                                                                    out -> {
                                                                        for (int i = 0; ; i++) {
                                                                            out.send(at100(i, t));
                                                                        }
                                                                    })
                                                            .withVirtualThreads()
                                                    : Pipeline.<Integer>generate(
                                                            "src",
                                                            out -> {
                                                                for (int i = 0; ; i++) {
                                                                    out.send(at100(i, t));
                                                                }
                                                            }))
                                            .map(x -> x)));
            case "map" -> new Shape("bad", count.apply(src.map("bad", x -> at100(x, t))));
            case "filter" ->
                    new Shape("bad", count.apply(src.filter("bad", x -> at100(x, t) >= 0)));
            case "flatMap" ->
                    new Shape("bad", count.apply(src.flatMap("bad", x -> List.of(at100(x, t)))));
            case "peek" -> new Shape("bad", count.apply(src.peek("bad", x -> at100(x, t))));
            case "scan" -> new Shape("bad", count.apply(src.scan("bad", 0, (a, x) -> at100(x, t))));
            case "takeWhile" ->
                    new Shape("bad", count.apply(src.takeWhile("bad", x -> at100(x, t) >= 0)));
            case "mapParallel" ->
                    new Shape("bad", count.apply(src.mapParallel("bad", 3, x -> at100(x, t))));
            case "mapParallelUnordered" ->
                    new Shape(
                            "bad",
                            count.apply(src.mapParallelUnordered("bad", 3, x -> at100(x, t))));
            case "mapParallelByKey" ->
                    new Shape(
                            "bad",
                            count.apply(
                                    src.mapParallelByKey("bad", 3, x -> x % 7, x -> at100(x, t))));
            case "through" ->
                    new Shape(
                            "bad",
                            count.apply(
                                    src.through(
                                            "bad",
                                            (in, out) -> {
                                                for (Integer x : in) {
                                                    out.send(at100(x, t));
                                                }
                                            })));
            case "partition" ->
                    new Shape(
                            "partition",
                            count.apply(src.partition(2, x -> at100(x, t), p -> p.map(x -> x))));
            case "broadcast" ->
                    new Shape(
                            "bad",
                            count.apply(
                                    src.broadcast(
                                            List.<Function<Pipeline<Integer>, Pipeline<Integer>>>of(
                                                    p -> p.map("fine", x -> x),
                                                    p -> p.map("bad", x -> at100(x, t))))));
            case "forEach" ->
                    new Shape(
                            "bad",
                            () -> {
                                threads.watch(src).forEach("bad", x -> at100(x, t));
                                return null;
                            });
            case "reduce" ->
                    new Shape(
                            "reduce",
                            () ->
                                    threads.watch(src)
                                            .reduce(
                                                    0,
                                                    (a, x) -> {
                                                        try {
                                                            return at100(x, t);
                                                        } catch (RuntimeException | Error e) {
                                                            throw e;
                                                        } catch (Exception e) {
                                                            throw new IllegalStateException(e);
                                                        }
                                                    }));
            case "collect" ->
                    new Shape(
                            "collect",
                            () ->
                                    threads.watch(src)
                                            .collect(
                                                    Collectors.summingInt(
                                                            x -> {
                                                                try {
                                                                    return at100(x, t);
                                                                } catch (RuntimeException
                                                                        | Error e) {
                                                                    throw e;
                                                                } catch (Exception e) {
                                                                    throw new IllegalStateException(
                                                                            e);
                                                                }
                                                            })));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    // ---------------------------------------------------------------- item 5: Errors

    @ParameterizedTest(name = "{0} throws {1}, virtual {2}")
    @CsvSource({
        "source, OutOfMemoryError, false",
        "source, StackOverflowError, true",
        "map, OutOfMemoryError, false",
        "map, AssertionError, true",
        "filter, StackOverflowError, false",
        "flatMap, OutOfMemoryError, false",
        "peek, AssertionError, false",
        "scan, OutOfMemoryError, true",
        "takeWhile, StackOverflowError, false",
        "mapParallel, OutOfMemoryError, false",
        "mapParallel, StackOverflowError, true",
        "mapParallelUnordered, OutOfMemoryError, false",
        "mapParallelUnordered, AssertionError, true",
        "mapParallelByKey, OutOfMemoryError, false",
        "mapParallelByKey, StackOverflowError, true",
        "through, OutOfMemoryError, false",
        "partition, AssertionError, false",
        "broadcast, OutOfMemoryError, false",
        "forEach, OutOfMemoryError, false",
        "forEach, StackOverflowError, true",
        "reduce, OutOfMemoryError, false",
        "collect, AssertionError, false",
    })
    void anErrorInAnyKindOfStageFailsTheRunNamingTheStage(
            String kind, String errorKind, boolean virtual) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Shape s =
                shape(
                        kind,
                        () -> {
                            Error e = error(errorKind);
                            thrown.compareAndSet(null, e);
                            return e;
                        },
                        virtual);
        assertThatThrownBy(() -> s.run().get())
                .isInstanceOf(PipelineException.class)
                .satisfies(
                        e -> {
                            assertThat(((PipelineException) e).stageName()).isEqualTo(s.stage());
                            assertThat(e.getCause()).isSameAs(thrown.get());
                        });
        threads.assertAllEnded();
    }

    // ------------------------------------------- item 7: a user's ChannelClosedException

    /** A channel of the user's whose receiver is gone: every send throws. */
    private static Sender<Integer> deadEnd() {
        Channel<Integer> mine = Channel.bounded(1, "mine");
        mine.receiver().close();
        return mine.sender();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "map",
                "filter",
                "mapParallel",
                "mapParallelUnordered",
                "mapParallelByKey",
                "source",
                "through",
                "forEach"
            })
    void userCodeThrowingChannelClosedExceptionFailsItsStage(String kind) throws Exception {
        Sender<Integer> mine = deadEnd();
        Supplier<Throwable> t =
                () -> {
                    try {
                        mine.send(1);
                        return new AssertionError("the send should have failed");
                    } catch (ChannelClosedException e) {
                        return e;
                    } catch (InterruptedException e) {
                        return e;
                    }
                };
        Shape s = shape(kind, t, false);
        assertThatThrownBy(() -> s.run().get())
                .isInstanceOf(PipelineException.class)
                .satisfies(
                        e -> assertThat(((PipelineException) e).stageName()).isEqualTo(s.stage()))
                .cause()
                .isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("mine");
        threads.assertAllEnded();
        mine.close();
    }

    @Test
    void aUserChannelClosedExceptionIsSubjectToTheStagesErrorPolicy() {
        Sender<Integer> mine = deadEnd();
        List<Integer> out =
                threads.watch(Pipeline.range(0, 1000))
                        .map(
                                "forward",
                                x -> {
                                    if (x % 100 == 0) {
                                        mine.send(x); // throws: the user's channel is closed
                                    }
                                    return x;
                                })
                        .onError(ErrorPolicy.skip())
                        .toList();
        assertThat(out).hasSize(990).doesNotContain(0, 100, 900);
        threads.assertAllEnded();
        mine.close();
    }

    @Test
    void theRunsOwnClosureStillStopsStagesQuietly() {
        // take closes its input: the map's emit fails with the run's own signal, which is no error
        assertThat(threads.watch(endless()).map("m", x -> x).mapParallel(2, x -> x).take(50))
                .satisfies(p -> assertThat(p.toList()).hasSize(50));
        threads.assertAllEnded();
    }

    // ------------------------------------------- item 9: a stage awaiting its own run

    @Test
    void aStageAwaitingItsOwnRunGetsIllegalStateException() throws Exception {
        AtomicReference<PipelineRun<?>> self = new AtomicReference<>();
        CountDownLatch published = new CountDownLatch(1);
        PipelineRun<List<Integer>> run =
                threads.watch(Pipeline.range(0, 10))
                        .map(
                                "selfish",
                                x -> {
                                    published.await();
                                    if (x == 3) {
                                        self.get().await(Duration.ofSeconds(5));
                                    }
                                    if (x == 5) {
                                        self.get().await();
                                    }
                                    return x;
                                })
                        .start(Collectors.toList());
        self.set(run);
        published.countDown();
        assertThatThrownBy(run::await)
                .isInstanceOf(PipelineException.class)
                .satisfies(
                        e -> assertThat(((PipelineException) e).stageName()).isEqualTo("selfish"))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("awaits its own run");
        threads.assertAllEnded();
    }

    // ------------------------------------------- item 10: durations at the edges

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"P1000000D", "PT2562047788015215H30M7.999999999S"})
    void aHugeBatchWaitSaturatesInsteadOfOverflowing(String iso) {
        Duration huge = Duration.parse(iso);
        List<List<Integer>> batches = threads.watch(Pipeline.range(0, 25)).batch(10, huge).toList();
        assertThat(batches).extracting(List::size).containsExactly(10, 10, 5);
        threads.assertAllEnded();
    }

    @Test
    void aHugeThrottlePeriodSaturatesInsteadOfOverflowing() throws Exception {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        assertThat(threads.watch(Pipeline.range(0, 5)).throttle(5, huge).toList())
                .containsExactly(0, 1, 2, 3, 4);
        // the sixth item is due "never": the run waits until cancelled
        AtomicLong passed = new AtomicLong();
        PipelineRun<Void> run =
                threads.watch(Pipeline.range(0, 6))
                        .throttle(5, Duration.ofDays(1_000_000))
                        .peek(x -> passed.incrementAndGet())
                        .start();
        assertThatThrownBy(() -> run.await(Duration.ofMillis(300)))
                .isInstanceOf(TimeoutException.class);
        assertThat(passed).hasValue(5);
        threads.assertAllEnded();
    }

    // ------------------------------------------- item 12: unique stage names

    @Test
    void stageNamesAreAlwaysUnique() throws Exception {
        PipelineRun<List<Integer>> run =
                threads.watch(Pipeline.range(0, 10))
                        .map("x", v -> v)
                        .map("x", v -> v)
                        .map("x#2", v -> v)
                        .map("x", v -> v)
                        .start(Collectors.toList());
        run.await();
        List<String> names = run.metrics().stages().stream().map(StageMetrics::name).toList();
        assertThat(names).doesNotHaveDuplicates().contains("x", "x#2", "x#3", "x#4");
        threads.assertAllEnded();
    }

    @Test
    void aFailureNamesTheUsersStageNotAGeneratedTwin() {
        assertThatThrownBy(
                        () ->
                                threads.watch(Pipeline.range(0, 10))
                                        .map("x", v -> v)
                                        .map("x", v -> v)
                                        .map(
                                                "x#2",
                                                v -> {
                                                    throw new IllegalStateException("mine");
                                                })
                                        .toList())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("x#2"));
        threads.assertAllEnded();
    }

    // ------------------------------------------- item 13: await, interrupts and timeouts

    @Test
    void aCompletedRunReturnsItsResultWhateverTheInterruptFlag() throws Exception {
        PipelineRun<List<Integer>> run =
                threads.watch(Pipeline.range(0, 100)).start(Collectors.toList());
        while (!run.isDone()) {
            Thread.sleep(1);
        }
        Thread.currentThread().interrupt();
        try {
            assertThat(run.await()).hasSize(100);
            assertThat(run.await(Duration.ofSeconds(1))).hasSize(100);
            assertThat(Thread.currentThread().isInterrupted()).as("flag left as it was").isTrue();
        } finally {
            Thread.interrupted();
        }
        threads.assertAllEnded();
    }

    @Test
    void anAwaitInterruptedWhileWaitingCancelsTheRunAndClearsTheFlag() throws Exception {
        PipelineRun<Long> run = threads.watch(endless()).start(Collectors.counting());
        Thread caller = Thread.currentThread();
        Thread interrupter =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                            caller.interrupt();
                        });
        interrupter.start();
        assertThatThrownBy(run::await).isInstanceOf(InterruptedException.class);
        interrupter.join();
        assertThat(Thread.interrupted()).as("flag clear after InterruptedException").isFalse();
        assertThat(run.isDone()).isTrue();
        assertThatThrownBy(run::await).isInstanceOf(CancellationException.class);
        threads.assertAllEnded();
    }

    @Test
    void aTimeoutRacingCompletionTellsOneStory() throws Exception {
        int timedOut = 0;
        int completed = 0;
        for (int i = 0; i < 300; i++) {
            PipelineRun<Long> run =
                    threads.watch(Pipeline.range(0, 2_000 + (i % 7) * 500))
                            .map(x -> x)
                            .start(Collectors.counting());
            Long first;
            try {
                first = run.await(Duration.ofNanos(200_000 + (i % 13) * 50_000));
            } catch (TimeoutException e) {
                first = null;
            }
            if (first == null) {
                timedOut++;
                // documented: a timeout cancelled the run, so it did not complete
                assertThatThrownBy(run::await)
                        .as("after a timeout, try %d", i)
                        .isInstanceOf(CancellationException.class);
            } else {
                completed++;
                assertThat(run.await()).as("try %d", i).isEqualTo(first);
            }
        }
        assertThat(timedOut + completed).isEqualTo(300);
        threads.assertAllEnded();
    }

    // ------------------------------------------- item 14: upstream stops after a failure

    @ParameterizedTest(name = "{0}, virtual {1}")
    @CsvSource({
        "mapParallel, false",
        "mapParallel, true",
        "mapParallelUnordered, true",
        "map, true"
    })
    void afterAFailureUpstreamStopsWithinAboutACapacityPerEdge(String kind, boolean virtual) {
        int capacity = 64;
        AtomicLong produced = new AtomicLong();
        Pipeline<Integer> src =
                Pipeline.<Integer>generate(
                                "src",
                                out -> {
                                    for (int i = 0; ; i++) {
                                        out.send(i);
                                        produced.incrementAndGet();
                                    }
                                })
                        .capacity(capacity);
        StageFunction<Integer, Integer> failAt500 =
                x -> {
                    if (x == 500) {
                        throw new IllegalStateException("item 500");
                    }
                    return x;
                };
        Pipeline<Integer> p =
                switch (kind) {
                    case "mapParallel" -> src.mapParallel("bad", 4, failAt500);
                    case "mapParallelUnordered" -> src.mapParallelUnordered("bad", 4, failAt500);
                    case "map" -> src.map("bad", failAt500);
                    default -> throw new IllegalArgumentException(kind);
                };
        Pipeline<Integer> run = threads.watch(virtual ? p.withVirtualThreads() : p);
        assertThatThrownBy(run::count).isInstanceOf(PipelineException.class);
        // taken by the failing stage (at most 501, plus what its workers had grouped) and the
        // source's edge: a bound of a few capacities, far from the thousands the source could make
        assertThat(produced.get()).isLessThan(501 + 2_048);
        threads.assertAllEnded();
    }
}
