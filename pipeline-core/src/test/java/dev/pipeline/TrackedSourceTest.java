package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.SendResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/**
 * A tracked source's completions (ADR 19): through every operator, each accepted item is done
 * exactly once, and only after every item derived from it reached the terminal (or was dropped);
 * never for an item in flight when the run fails or is cancelled; a sink's acknowledgement decides.
 */
@Timeout(60)
class TrackedSourceTest {
    private static final int N = 3_000;

    /** The items each source sends. */
    static final int N_ITEMS = N;

    /**
     * One shape of pipeline between the tracked source and the terminal: the values it delivers
     * are source indexes (so each can be traced back), {@code outputs(i)} of them for index {@code
     * i}; negative values come from elsewhere (an untracked source merged in) and are ignored.
     */
    record Shape(
            String name,
            Function<Pipeline<Integer>, Pipeline<Integer>> body,
            IntUnaryOperator outputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Shape> shapes() {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("map", p -> p.map(i -> i), i -> 1));
        s.add(new Shape("filter", p -> p.filter(i -> i % 3 != 0), i -> i % 3 != 0 ? 1 : 0));
        s.add(new Shape("flatMap", p -> p.flatMap(i -> Collections.nCopies(i % 4, i)), i -> i % 4));
        s.add(new Shape("peek", p -> p.peek(i -> {}), i -> 1));
        s.add(new Shape("takeWhile", p -> p.takeWhile(i -> true), i -> 1));
        s.add(new Shape("drop", p -> p.drop(100), i -> i < 100 ? 0 : 1));
        s.add(new Shape("distinct", p -> p.flatMap(i -> List.of(i, i)).distinct(), i -> 1));
        s.add(new Shape("scan", p -> p.scan(0, (a, i) -> i), i -> 1));
        s.add(new Shape("batch", p -> p.batch(7).flatMap(l -> l), i -> 1));
        s.add(
                new Shape(
                        "batchByTime",
                        p -> p.batch(50, Duration.ofMillis(1)).flatMap(l -> l),
                        i -> 1));
        s.add(new Shape("throttle", p -> p.throttle(1_000_000, Duration.ofSeconds(1)), i -> 1));
        s.add(new Shape("mapParallel", p -> p.mapParallel(4, i -> i), i -> 1));
        s.add(new Shape("mapParallelUnordered", p -> p.mapParallelUnordered(4, i -> i), i -> 1));
        s.add(
                new Shape(
                        "mapParallelByKey",
                        p -> p.mapParallelByKey(3, i -> i % 5, i -> i),
                        i -> 1));
        s.add(
                new Shape(
                        "mapParallel skipping",
                        p ->
                                p.mapParallel(
                                                3,
                                                i -> {
                                                    if (i % 7 == 0) {
                                                        throw new IllegalStateException("bad");
                                                    }
                                                    return i;
                                                })
                                        .onError(ErrorPolicy.skip()),
                        i -> i % 7 == 0 ? 0 : 1));
        s.add(
                new Shape(
                        "broadcast",
                        p ->
                                p.broadcast(
                                        List.<Function<Pipeline<Integer>, Pipeline<Integer>>>of(
                                                b -> b.map(i -> i),
                                                b -> b.filter(i -> i % 2 == 0))),
                        i -> i % 2 == 0 ? 2 : 1));
        s.add(new Shape("partition", p -> p.partition(3, i -> i % 3, b -> b.map(i -> i)), i -> 1));
        s.add(
                new Shape(
                        "merge with untracked",
                        p -> Pipeline.merge(p, Pipeline.range(-500, 0)).map(i -> i),
                        i -> 1));
        s.add(new Shape("rendezvous", p -> p.map(i -> i).capacity(0), i -> 1));
        s.add(
                new Shape(
                        "virtual",
                        p -> p.mapParallelUnordered(3, i -> i).virtualThreads(),
                        i -> 1));
        return s;
    }

    /** Per source index: derived items seen by the terminal, completions, and any violation. */
    static class Book {
        final AtomicIntegerArray seen = new AtomicIntegerArray(N);
        final AtomicIntegerArray done = new AtomicIntegerArray(N);
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final IntUnaryOperator outputs;

        Book(IntUnaryOperator outputs) {
            this.outputs = outputs;
        }

        void saw(int i) {
            if (i >= 0) {
                seen.incrementAndGet(i);
            }
        }

        Completion completion(int i) {
            return () -> {
                int s = seen.get(i);
                if (s != outputs.applyAsInt(i)) {
                    violations.add("item " + i + " done with " + s + " outputs seen");
                }
                if (done.incrementAndGet(i) != 1) {
                    violations.add("item " + i + " done twice");
                }
            };
        }

        Pipeline<Integer> source() {
            return Pipeline.generateTracked(
                    "tracked",
                    out -> {
                        for (int i = 0; i < N; i++) {
                            out.send(i, completion(i));
                        }
                    });
        }

        void assertEveryItemDoneOnce() {
            assertThat(violations).as("violations").isEmpty();
            for (int i = 0; i < N; i++) {
                assertThat(done.get(i)).as("completions of item %d", i).isEqualTo(1);
                assertThat(seen.get(i))
                        .as("outputs of item %d", i)
                        .isEqualTo(outputs.applyAsInt(i));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forEachCompletesEachItemOnceAfterItsOutputs(Shape shape) {
        Book book = new Book(shape.outputs());
        shape.body().apply(book.source()).forEach(book::saw);
        book.assertEveryItemDoneOnce();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void collectingTerminalsCompleteEachItemOnce(Shape shape) {
        Book a = new Book(shape.outputs());
        List<Integer> all = shape.body().apply(a.source()).peek(a::saw).toList();
        assertThat(all).isNotEmpty();
        a.assertEveryItemDoneOnce();

        Book b = new Book(shape.outputs());
        shape.body().apply(b.source()).peek(b::saw).count();
        b.assertEveryItemDoneOnce();

        Book c = new Book(shape.outputs());
        shape.body().apply(c.source()).peek(c::saw).reduce(0, Integer::sum);
        c.assertEveryItemDoneOnce();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void asynchronousSinkCompletesEachItemOnAcknowledgement(Shape shape) throws Exception {
        Book book = new Book(shape.outputs());
        ScheduledExecutorService acker = Executors.newScheduledThreadPool(2);
        Random random = new Random(shape.name().hashCode());
        try {
            shape.body()
                    .apply(book.source())
                    .drainTo(
                            "sink",
                            () ->
                                    new AckingWriter(
                                            acker,
                                            random,
                                            (i, ack) -> {
                                                book.saw(i);
                                                ack.done();
                                            }));
        } finally {
            acker.shutdownNow();
        }
        book.assertEveryItemDoneOnce();
    }

    @Test
    void intoCompletesAnItemOnceTheUsersChannelTookIt() throws Exception {
        Book book = new Book(i -> 1);
        Channel<Integer> ch = Channel.bounded(8);
        Thread reader =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        while (ch.receiver().receive(Duration.ofSeconds(30))
                                                instanceof ReceiveResult.Received<Integer> r) {
                                            book.saw(r.value());
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        // the channel took it: its reader may not have counted it yet, so count at send time
        Book sent = new Book(i -> 1);
        book.source().peek(sent::saw).into(ch.sender());
        reader.join(30_000);
        assertThat(sent.violations).isEmpty();
        for (int i = 0; i < N; i++) {
            assertThat(book.done.get(i)).isEqualTo(1);
        }
    }

    @Test
    void anItemInFlightWhenAStageFailsIsNeverDone() {
        Book book = new Book(i -> 1);
        assertThatThrownBy(
                        () ->
                                book.source()
                                        .map(
                                                i -> {
                                                    if (i == 1_500) {
                                                        throw new IllegalStateException("boom");
                                                    }
                                                    return i;
                                                })
                                        .forEach(book::saw))
                .isInstanceOf(PipelineException.class);
        assertThat(book.violations).as("done only after their output was consumed").isEmpty();
        assertThat(book.done.get(1_500)).as("the failing item").isZero();
        for (int i = 0; i < N; i++) {
            if (book.done.get(i) == 1) {
                assertThat(book.seen.get(i)).as("item %d done, so consumed", i).isEqualTo(1);
            }
        }
    }

    @Test
    void anItemInFlightWhenTheRunIsCancelledIsNeverDone() throws Exception {
        Book book = new Book(i -> 1);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        PipelineRun<Void> run =
                book.source()
                        .map(
                                i -> {
                                    if (i == 1_000) {
                                        halfway.countDown();
                                        never.await(); // held until cancelled
                                    }
                                    return i;
                                })
                        .start(
                                "sink",
                                () ->
                                        new Sink.Writer<Integer>() {
                                            @Override
                                            public void write(Integer i, Sink.Ack ack) {
                                                book.saw(i);
                                                ack.done();
                                            }

                                            @Override
                                            public void close() {}
                                        });
        assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
        run.cancel();
        assertThatThrownBy(run::await)
                .isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(book.violations).isEmpty();
        for (int i = 1_000; i < N; i++) {
            assertThat(book.done.get(i)).as("item %d was in flight or not yet sent", i).isZero();
        }
        for (int i = 0; i < 1_000; i++) {
            // the map may still hold the outputs of the items before it blocked (ADR 6)
            assertThat(book.done.get(i)).as("item %d", i).isEqualTo(book.seen.get(i));
        }
    }

    @Test
    void takeCompletesTheItemsItPassedOnly() {
        Book book = new Book(i -> i < 100 ? 1 : 0);
        List<Integer> got = book.source().take(100).peek(book::saw).toList();
        assertThat(got).hasSize(100);
        assertThat(book.violations).isEmpty();
        for (int i = 0; i < N; i++) {
            assertThat(book.done.get(i)).as("item %d", i).isEqualTo(i < 100 ? 1 : 0);
        }
    }

    @Test
    void aDeadLetteredItemIsDoneOnceTheDeadLetterChannelTookIt() throws Exception {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        AtomicIntegerArray lettered = new AtomicIntegerArray(N);
        Book book =
                new Book(i -> i % 5 == 0 ? 0 : 1) {
                    @Override
                    Completion completion(int i) {
                        Completion inner = super.completion(i);
                        return () -> {
                            if (i % 5 == 0 && lettered.get(i) == 0) {
                                // the letter must be in the channel by now
                                violations.add("item " + i + " done before its dead letter");
                            }
                            inner.done();
                        };
                    }
                };
        Thread drainer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        while (dead.receiver().receive(Duration.ofSeconds(30))
                                                instanceof
                                                ReceiveResult.Received<DeadLetter<Integer>> r) {
                                            lettered.incrementAndGet(r.value().item());
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        // the drainer may lag behind the channel: count a letter as sent when the channel has it
        Channel<DeadLetter<Integer>> counted = dead;
        book.source()
                .map(
                        i -> {
                            if (i % 5 == 0) {
                                lettered.incrementAndGet(i); // about to be dead-lettered
                                throw new IllegalArgumentException("no multiples of 5");
                            }
                            return i;
                        })
                .onError(ErrorPolicy.deadLetter(counted.sender()))
                .forEach(book::saw);
        dead.sender().close();
        drainer.join(30_000);
        book.assertEveryItemDoneOnce();
        for (int i = 0; i < N; i += 5) {
            assertThat(lettered.get(i))
                    .as("item %d: thrown once, letter received once", i)
                    .isEqualTo(2);
        }
    }

    @Test
    void anAsynchronousFailureFailsTheRunAtOnceUnderTheDefaultPolicy() throws Exception {
        Book book = new Book(i -> 1);
        ScheduledExecutorService acker = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch idle = new CountDownLatch(1);
        try {
            // the source sends 10 items, then idles: only the acknowledgement can end the run
            PipelineRun<Void> run =
                    Pipeline.<Integer>generateTracked(
                                    "slow",
                                    out -> {
                                        for (int i = 0; i < 10; i++) {
                                            out.send(i, book.completion(i));
                                        }
                                        idle.await();
                                    })
                            .start(
                                    "sink",
                                    () ->
                                            new AckingWriter(
                                                    acker,
                                                    new Random(1),
                                                    (i, ack) -> {
                                                        if (i == 7) {
                                                            ack.failed(
                                                                    new IllegalStateException(
                                                                            "write 7 failed"));
                                                        } else {
                                                            book.saw(i);
                                                            ack.done();
                                                        }
                                                    }));
            assertThatThrownBy(() -> run.await(Duration.ofSeconds(30)))
                    .isInstanceOf(PipelineException.class)
                    .hasRootCauseMessage("write 7 failed");
            assertThat(book.done.get(7)).isZero();
        } finally {
            idle.countDown();
            acker.shutdownNow();
        }
    }

    @Test
    void anAsynchronousFailureIsSkippedOrDeadLetteredAsThePolicySays() throws Exception {
        ScheduledExecutorService acker = Executors.newScheduledThreadPool(2);
        try {
            Book skipped = new Book(i -> i % 10 == 3 ? 0 : 1);
            skipped.source()
                    .drainTo("sink", () -> failingEveryTenth(acker, skipped), ErrorPolicy.skip());
            skipped.assertEveryItemDoneOnce();

            Channel<DeadLetter<Integer>> dead = Channel.unbounded();
            Book lettered = new Book(i -> i % 10 == 3 ? 0 : 1);
            lettered.source()
                    .drainTo(
                            "sink",
                            () -> failingEveryTenth(acker, lettered),
                            ErrorPolicy.deadLetter(dead.sender()));
            lettered.assertEveryItemDoneOnce();
            dead.sender().close();
            List<Integer> letters = new ArrayList<>();
            while (dead.receiver().tryReceive()
                    instanceof ReceiveResult.Received<DeadLetter<Integer>> r) {
                letters.add(r.value().item());
                assertThat(r.value().stage()).isEqualTo("sink");
                assertThat(r.value().error()).hasMessageContaining("failed");
            }
            assertThat(letters).hasSize(N / 10).allMatch(i -> i % 10 == 3);
        } finally {
            acker.shutdownNow();
        }
    }

    @Test
    void aSkippedAsynchronousFailureCompletesAtOnceThoughTheTerminalIsIdle() throws Exception {
        ExecutorService acker = Executors.newSingleThreadExecutor();
        CountDownLatch done = new CountDownLatch(1);
        try {
            // the source waits for its one item to be done before it ends: only a completion on
            // the acknowledging thread, not the idle terminal's, lets the run finish
            Pipeline.<Integer>generateTracked(
                            "one",
                            out -> {
                                out.send(1, done::countDown);
                                if (!done.await(30, TimeUnit.SECONDS)) {
                                    throw new AssertionError("never done");
                                }
                            })
                    .drainTo(
                            "sink",
                            () ->
                                    new Sink.Writer<Integer>() {
                                        @Override
                                        public void write(Integer i, Sink.Ack ack) {
                                            acker.execute(
                                                    () ->
                                                            ack.failed(
                                                                    new IllegalStateException(
                                                                            "no")));
                                        }

                                        @Override
                                        public void close() {}
                                    },
                            ErrorPolicy.skip());
            assertThat(done.getCount()).isZero();
        } finally {
            acker.shutdownNow();
        }
    }

    @Test
    void aBranchOfATrackedPipelineCannotEndEarly() {
        Book book = new Book(i -> 1);
        assertThatThrownBy(
                        () ->
                                book.source()
                                        .broadcast(
                                                List
                                                        .<Function<
                                                                        Pipeline<Integer>,
                                                                        Pipeline<Integer>>>
                                                                of(
                                                                        b -> b.map(i -> i),
                                                                        b ->
                                                                                b.map(i -> i)
                                                                                        .take(
                                                                                                "first",
                                                                                                10))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'first'")
                .hasMessageContaining("branch");
        assertThatThrownBy(
                        () ->
                                book.source()
                                        .partition(
                                                2,
                                                i -> i % 2,
                                                b -> b.takeWhile("while", i -> i < 100)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'while'");
        // after the fan-out, and in untracked pipelines, an early end is fine
        assertThat(
                        book.source()
                                .broadcast(
                                        List.<Function<Pipeline<Integer>, Pipeline<Integer>>>of(
                                                b -> b.map(i -> i)))
                                .take(10)
                                .toList())
                .hasSize(10);
        assertThat(
                        Pipeline.range(0, 100)
                                .broadcast(
                                        List.<Function<Pipeline<Integer>, Pipeline<Integer>>>of(
                                                b -> b.take(5), b -> b.map(i -> i)))
                                .count())
                .isEqualTo(105);
    }

    @Test
    void aCustomStageCannotFollowATrackedSource() {
        Book book = new Book(i -> 1);
        assertThatThrownBy(() -> book.source().map(i -> i).through("custom", (in, out) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("custom")
                .hasMessageContaining("tracked");
        // an untracked pipeline may still use one
        assertThat(Pipeline.range(0, 3).through("custom", (in, out) -> {}).toList()).isEmpty();
    }

    @Test
    void refusedSendsNeverComplete() throws Exception {
        AtomicIntegerArray done = new AtomicIntegerArray(2);
        CountDownLatch release = new CountDownLatch(1);
        List<SendResult<String>> results = new ArrayList<>();
        Pipeline.<String>generateTracked(
                        "src",
                        out -> {
                            out.send("a", () -> done.incrementAndGet(0));
                            // the next stage is held: the rendezvous edge has no room
                            results.add(out.trySend("b", () -> done.incrementAndGet(1)));
                            results.add(
                                    out.send(
                                            "b",
                                            () -> done.incrementAndGet(1),
                                            Duration.ofMillis(20)));
                            release.countDown();
                        })
                .capacity(0)
                .map(
                        s -> {
                            release.await();
                            return s;
                        })
                .capacity(0)
                .forEach(s -> {});
        assertThat(results)
                .hasSize(2)
                .allMatch(r -> r instanceof SendResult.Full<String> f && f.value().equals("b"));
        assertThat(done.get(0)).isEqualTo(1);
        assertThat(done.get(1)).isZero();
        assertThatThrownBy(
                        () ->
                                Pipeline.generateTracked("x", out -> out.send(null, () -> {}))
                                        .toList())
                .isInstanceOf(PipelineException.class)
                .hasRootCauseInstanceOf(NullPointerException.class);
    }

    @Test
    void theSourcesStatusShowsInTheReport() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        PipelineRun<Void> run =
                Pipeline.<Integer>generateTracked(
                                "queue",
                                out -> {
                                    out.status(() -> "lag 42");
                                    go.await();
                                })
                        .start();
        try {
            Thread.sleep(50);
            String report = run.metrics().report();
            assertThat(report).contains("status: stage 'queue': lag 42");
            assertThat(run.metrics().stages().get(0).status()).isEqualTo("lag 42");
        } finally {
            go.countDown();
            run.await(Duration.ofSeconds(30));
        }
    }

    /** A writer acknowledging each item later, on another thread, after a random short delay. */
    static final class AckingWriter implements Sink.Writer<Integer> {
        interface OnAck {
            void ack(int item, Sink.Ack ack);
        }

        private final ScheduledExecutorService acker;
        private final Random random;
        private final OnAck onAck;
        private final java.util.concurrent.atomic.AtomicInteger inFlight =
                new java.util.concurrent.atomic.AtomicInteger();

        AckingWriter(ScheduledExecutorService acker, Random random, OnAck onAck) {
            this.acker = acker;
            this.random = random;
            this.onAck = onAck;
        }

        @Override
        public void write(Integer item, Sink.Ack ack) {
            inFlight.incrementAndGet();
            acker.schedule(
                    () -> {
                        try {
                            onAck.ack(item, ack);
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    },
                    random.nextInt(200),
                    TimeUnit.MICROSECONDS);
        }

        @Override
        public void flush() throws InterruptedException {
            while (inFlight.get() > 0) {
                Thread.sleep(1);
            }
        }

        @Override
        public void close() {}
    }

    /** Fails the write of every item ending in 3, acknowledging the rest, on another thread. */
    static AckingWriter failingEveryTenth(ScheduledExecutorService acker, Book book) {
        return new AckingWriter(
                acker,
                new Random(3),
                (i, ack) -> {
                    if (i % 10 == 3) {
                        ack.failed(new IllegalStateException("write " + i + " failed"));
                    } else {
                        book.saw(i);
                        ack.done();
                    }
                });
    }
}
