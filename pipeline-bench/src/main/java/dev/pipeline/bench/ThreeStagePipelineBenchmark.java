package dev.pipeline.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.typesafe.config.ConfigFactory;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The 3-stage pipeline {@code generate 0..N-1 -> square -> sum} ("Performance report"), items per
 * second, {@value #ITEMS} items per invocation, every stage on its own thread, capacity 1024
 * between stages:
 *
 * <ul>
 *   <li>{@code dsl} / {@code dsl_virtual}: {@code Pipeline.range(0, n).map("square", x -> (long) x
 *       * x).reduce(0L, Long::sum)} on platform / virtual threads;
 *   <li>{@code abq}: three plain threads, two {@code ArrayBlockingQueue(1024)}s and a poison pill
 *       (the baseline);
 *   <li>{@code abq_virtual}: the baseline on virtual threads (to compare with {@code
 *       dsl_virtual}; ratios are still against {@code abq});
 *   <li>{@code channels}: the same by hand on pipeline's {@code Channel.bounded(1024)} (no DSL);
 *   <li>{@code jctools}: the same by hand on {@code SpscArrayQueue(1024)} with spin-then-park;
 *   <li>{@code jox}: the same by hand on jox buffered channels;
 *   <li>{@code disruptor}: one LMAX ring of 1024 events, the generator publishing and two chained
 *       handlers (square, then sum), {@code BlockingWaitStrategy} (the default; it parks like the
 *       others). Events are preallocated and mutable: no boxing, the Disruptor's own design. A
 *       handler that depends on another handler busy-spins on that handler's sequence (Disruptor
 *       4.0's wait strategies block only on the ring's cursor), so the sum handler burns a core
 *       while the square handler works: costly when threads outnumber cores;
 *   <li>{@code disruptor_2rings}: the Disruptor as a pipeline of two rings (generator -> ring 1
 *       -> square handler -> ring 2 -> sum handler), so every handler blocks on a cursor with
 *       {@code BlockingWaitStrategy} and none spins on a dependency;
 *   <li>{@code reactor}: {@code Flux.range} with {@code subscribeOn} and two {@code publishOn}
 *       boundaries (prefetch 1024) on three single-thread schedulers;
 *   <li>{@code pekko}: {@code Source.range} with two async boundaries (input buffer 1024) and a
 *       fold sink; Pekko runs its islands as actors on its default dispatcher (a fork-join pool),
 *       not on a thread each;
 *   <li>{@code stream}: sequential {@code java.util.stream}, boxed like the others, one thread:
 *       the floor (the cost of the work without any hand-off).
 * </ul>
 *
 * Every run's sum is checked against {@code sum(i^2)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ThreeStagePipelineBenchmark {

    /** Items per invocation. */
    static final int ITEMS = 1_000_000;

    /** Capacity of every edge. */
    static final int CAPACITY = 1024;

    @Param({
        "dsl",
        "dsl_virtual",
        "abq",
        "abq_virtual",
        "channels",
        "jctools",
        "jox",
        "disruptor",
        "disruptor_2rings",
        "reactor",
        "pekko",
        "stream"
    })
    String impl;

    private int n;
    private Scheduler[] schedulers;
    private ActorSystem system;

    /** Creates the trial's Reactor schedulers or Pekko actor system when the impl needs them. */
    @Setup(Level.Trial)
    public void setUp() {
        n = Bench.items(ITEMS);
        if (impl.equals("reactor")) {
            schedulers =
                    new Scheduler[] {
                        Schedulers.newSingle("generate"),
                        Schedulers.newSingle("square"),
                        Schedulers.newSingle("sum")
                    };
        } else if (impl.equals("pekko")) {
            system =
                    ActorSystem.create(
                            "bench",
                            ConfigFactory.parseString(
                                            "pekko.loglevel = WARNING\n"
                                                    + "pekko.stdout-loglevel = WARNING")
                                    .withFallback(ConfigFactory.load()));
        }
    }

    /** Releases the trial's schedulers or actor system. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (schedulers != null) {
            for (Scheduler s : schedulers) {
                s.dispose();
            }
        }
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Runs the pipeline once over {@value #ITEMS} items. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long generateSquareSum() throws Exception {
        long sum =
                switch (impl) {
                    case "dsl" -> DslPipelines.squareSum(n, false);
                    case "dsl_virtual" -> DslPipelines.squareSum(n, true);
                    case "disruptor" -> disruptor(n);
                    case "disruptor_2rings" -> disruptorTwoRings(n);
                    case "reactor" -> reactor(n);
                    case "pekko" -> pekko(n);
                    case "stream" -> stream(n);
                    case "abq_virtual" ->
                            HandBuilt.chain(
                                    "abq",
                                    ThreadKind.virtual,
                                    CAPACITY,
                                    n,
                                    List.<UnaryOperator<Object>>of(Work::squareBoxed));
                    default ->
                            HandBuilt.chain(
                                    impl,
                                    ThreadKind.platform,
                                    CAPACITY,
                                    n,
                                    List.<UnaryOperator<Object>>of(Work::squareBoxed));
                };
        return Bench.check(impl, Bench.sumOfSquares(n), sum);
    }

    private static long stream(int n) {
        return IntStream.range(0, n).boxed().map(Work::square).reduce(0L, Long::sum);
    }

    private long reactor(int n) {
        return Flux.range(0, n)
                .subscribeOn(schedulers[0])
                .publishOn(schedulers[1], CAPACITY)
                .map(Work::square)
                .publishOn(schedulers[2], CAPACITY)
                .reduce(0L, Long::sum)
                .block();
    }

    private long pekko(int n) throws InterruptedException, ExecutionException {
        String dispatcher = "pekko.actor.default-dispatcher";
        return Source.range(0, n - 1)
                .async(dispatcher, CAPACITY)
                .map(Work::square)
                .async(dispatcher, CAPACITY)
                .runWith(Sink.fold(0L, Long::sum), system)
                .toCompletableFuture()
                .get();
    }

    /** A Disruptor event: the generated value and its square. */
    static final class Event {
        int value;
        long square;
    }

    /** A Disruptor event of the second ring: a square. */
    static final class Square {
        long value;
    }

    private static long disruptorTwoRings(int n) throws InterruptedException {
        Disruptor<Event> first =
                new Disruptor<>(
                        Event::new,
                        CAPACITY,
                        Thread.ofPlatform().factory(),
                        ProducerType.SINGLE,
                        new BlockingWaitStrategy());
        Disruptor<Square> second =
                new Disruptor<>(
                        Square::new,
                        CAPACITY,
                        Thread.ofPlatform().factory(),
                        ProducerType.SINGLE,
                        new BlockingWaitStrategy());
        long[] sum = new long[1];
        CountDownLatch done = new CountDownLatch(1);
        second.handleEventsWith(
                (e, seq, end) -> {
                    sum[0] += e.value;
                    if (seq == n - 1) {
                        done.countDown();
                    }
                });
        RingBuffer<Square> ring2 = second.start();
        first.handleEventsWith(
                (e, seq, end) -> {
                    long s = ring2.next();
                    ring2.get(s).value = Work.square(e.value);
                    ring2.publish(s);
                });
        RingBuffer<Event> ring1 = first.start();
        Workers workers = new Workers(ThreadKind.platform);
        workers.start(
                "generate",
                () -> {
                    for (int i = 0; i < n; i++) {
                        long seq = ring1.next();
                        ring1.get(seq).value = i;
                        ring1.publish(seq);
                    }
                });
        workers.joinAll();
        done.await();
        first.shutdown();
        second.shutdown();
        return sum[0];
    }

    private static long disruptor(int n) throws InterruptedException {
        Disruptor<Event> d =
                new Disruptor<>(
                        Event::new,
                        CAPACITY,
                        Thread.ofPlatform().factory(),
                        ProducerType.SINGLE,
                        new BlockingWaitStrategy());
        long[] sum = new long[1];
        CountDownLatch done = new CountDownLatch(1);
        EventHandler<Event> square = (e, seq, end) -> e.square = Work.square(e.value);
        EventHandler<Event> total =
                (e, seq, end) -> {
                    sum[0] += e.square;
                    if (seq == n - 1) {
                        done.countDown();
                    }
                };
        d.handleEventsWith(square).then(total);
        RingBuffer<Event> ring = d.start();
        Workers workers = new Workers(ThreadKind.platform);
        workers.start(
                "generate",
                () -> {
                    for (int i = 0; i < n; i++) {
                        long seq = ring.next();
                        ring.get(seq).value = i;
                        ring.publish(seq);
                    }
                });
        workers.joinAll();
        done.await();
        d.shutdown();
        return sum[0];
    }
}
