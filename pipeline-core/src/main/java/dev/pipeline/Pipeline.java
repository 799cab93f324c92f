package dev.pipeline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import static java.util.Objects.requireNonNull;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Durations;
import dev.pipeline.internal.run.Node;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.RunWiring;
import dev.pipeline.internal.run.op.BatchOp;
import dev.pipeline.internal.run.op.CollectOp;
import dev.pipeline.internal.run.op.CountOp;
import dev.pipeline.internal.run.op.DistinctOp;
import dev.pipeline.internal.run.op.DropOp;
import dev.pipeline.internal.run.op.FanOutOp;
import dev.pipeline.internal.run.op.FilterOp;
import dev.pipeline.internal.run.op.FlatMapOp;
import dev.pipeline.internal.run.op.ForEachOp;
import dev.pipeline.internal.run.op.IntoOp;
import dev.pipeline.internal.run.op.MapOp;
import dev.pipeline.internal.run.op.MapParallelByKeyOp;
import dev.pipeline.internal.run.op.MapParallelOp;
import dev.pipeline.internal.run.op.MapParallelUnorderedOp;
import dev.pipeline.internal.run.op.MergeOp;
import dev.pipeline.internal.run.op.PeekOp;
import dev.pipeline.internal.run.op.RangeOp;
import dev.pipeline.internal.run.op.ReceiverSourceOp;
import dev.pipeline.internal.run.op.ReduceOp;
import dev.pipeline.internal.run.op.ScanOp;
import dev.pipeline.internal.run.op.SinkOp;
import dev.pipeline.internal.run.op.SourceOp;
import dev.pipeline.internal.run.op.TakeOp;
import dev.pipeline.internal.run.op.TakeWhileOp;
import dev.pipeline.internal.run.op.ThrottleOp;
import dev.pipeline.internal.run.op.ThroughOp;
import dev.pipeline.internal.run.op.TrackedSourceOp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An immutable, reusable blueprint of a concurrent pipeline: a source, transforms, and (when a
 * terminal operation runs it) a terminal. Each stage runs on its own thread (N threads for a
 * parallel stage), and each edge is a bounded {@link dev.pipeline.channel.Channel}, so a slow stage
 * holds back the stages before it (backpressure).
 *
 * <pre>{@code
 * List<Long> squares = Pipeline.range(0, 20)
 *         .map("square", x -> (long) x * x)
 *         .toList();                  // runs the stages on their own threads, waits, returns
 * }</pre>
 *
 * <p><b>Building.</b> Every operator returns a new pipeline and leaves this one unchanged; a
 * blueprint can be run any number of times (except one built on {@link #from(Receiver)}). Arguments
 * are checked when the blueprint is built, before any thread starts. {@link #capacity}, {@link
 * #virtualThreads()} and {@link #platformThreads()} configure the last stage added, and so does
 * {@link Stage#onError} on the operators that call a function per item (they return a {@link
 * Stage}, which knows the stage's input type); {@link #named}, {@link #withVirtualThreads()} and
 * {@link #logSummary()} configure the whole pipeline. Items are never null: a function returning
 * null fails its stage.
 *
 * <p><b>Running.</b> A terminal ({@link #toList()}, {@link #collect}, {@link #reduce}, {@link
 * #count()}, {@link #forEach}, {@link #into}) starts the stages, blocks until every stage thread
 * has ended, and returns; {@link #start()} returns a {@link PipelineRun} handle instead.
 *
 * <p><b>Closure.</b> When a source ends its output closes; each stage drains its input, finishes,
 * and closes its output, down to the terminal. A stage that stops early ({@link #take}, {@link
 * #takeWhile}) closes its input, so the stages before it stop quietly at their next send.
 *
 * <p><b>Failure.</b> By default the first exception thrown by a stage fails the run: every other
 * stage thread is stopped (interrupted, its channels closed or failed), and the terminal throws one
 * {@link PipelineException} naming that stage with the exception as its cause; later failures are
 * suppressed in it. Any {@link Throwable} counts, {@link Error}s ({@code OutOfMemoryError}, {@code
 * StackOverflowError}) included, and the run still ends with every thread gone when memory is
 * exhausted. Whatever its type, an exception from user code is its stage's failure: a {@link
 * dev.pipeline.channel.ChannelClosedException} stops a stage quietly only when a channel of the run
 * itself threw it (downstream gone, or upstream failed), not when it comes from a channel of the
 * user's. Once a stage has failed, the stages upstream stop within about one channel capacity per
 * edge. Stage names are unique within a run: a second stage called {@code x} is {@code x#2} (or
 * the next free number). {@link Stage#onError} sets another policy per stage (see {@link ErrorPolicy}). A blocking terminal whose
 * caller is interrupted cancels the run, waits for its threads, sets the interrupt flag again and
 * throws {@link CancellationException}.
 *
 * <p>This class is immutable and thread-safe; a blueprint may be run by several threads at once.
 *
 * @param <T> the type of the items the pipeline produces
 */
public sealed class Pipeline<T> permits Pipeline.Stage {

    /** The output capacity of a stage unless set with {@link #capacity(int)}. */
    public static final int DEFAULT_CAPACITY = Node.DEFAULT_CAPACITY;

    /** Whole-pipeline settings. */
    record Settings(String name, boolean virtual, boolean logSummary, Consumer<Thread> observer) {
        static final Settings DEFAULT = new Settings("pipeline", false, false, null);
    }

    private final Node node;
    private final Settings settings;

    private Pipeline(Node node, Settings settings) {
        this.node = node;
        this.settings = settings;
    }

    private <R> Pipeline<R> then(String name, Op op) {
        checkName(name);
        return new Pipeline<>(Node.of(op, name, List.of(node)), settings);
    }

    /** {@link #then} for a stage that calls a function per item: its view knows its input type. */
    private <R> Stage<T, R> stage(String name, Op op) {
        checkName(name);
        return new Stage<>(Node.of(op, name, List.of(node)), settings);
    }

    private static String checkName(String name) {
        requireNonNull(name, "name");
        checkArgument(!name.isBlank(), "name must not be blank but was '%s'", name);
        return name;
    }

    private static <T> Pipeline<T> source(String name, Op op) {
        return new Pipeline<>(Node.of(op, checkName(name), List.of()), Settings.DEFAULT);
    }

    // ------------------------------------------------------------------ sources

    /**
     * A source whose items are sent by {@code body}, a plain loop run on the source's own thread.
     *
     * @param body the loop; see {@link SourceBody}
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> generate(SourceBody<T> body) {
        return generate("generate", body);
    }

    /**
     * A named source whose items are sent by {@code body}.
     *
     * @param name the stage's name
     * @param body the loop; see {@link SourceBody}
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> generate(String name, SourceBody<T> body) {
        requireNonNull(body, "body");
        return source(name, SourceOp.of(body));
    }

    /**
     * A named source whose items are sent by {@code body}, each with a {@link Completion} the
     * runtime calls once the item, and everything derived from it, is done downstream: the way a
     * source that acknowledges its input (a Kafka consumer committing offsets, a queue's acks)
     * learns what it may acknowledge. See {@link Completion} for when an item is done, and ADR 19.
     *
     * <pre>{@code
     * Pipeline<Order> orders = Pipeline.generateTracked("orders", out -> {
     *     for (Message m : queue.poll()) {
     *         out.send(Order.parse(m.body()), m::ack);   // acked once stored downstream
     *     }
     * });
     * }</pre>
     *
     * <p>Every stage may follow a tracked source except {@link #through}: a custom stage sees raw
     * channels, so the runtime could not tell when it is done with an item.
     *
     * @param name the stage's name
     * @param body the loop; see {@link TrackedSourceBody}
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> generateTracked(String name, TrackedSourceBody<T> body) {
        requireNonNull(body, "body");
        return source(name, TrackedSourceOp.of(body));
    }

    /**
     * A source of the items of {@code items}, iterated afresh by each run.
     *
     * @param items the items; none may be null (a null item fails the run)
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> from(Iterable<? extends T> items) {
        requireNonNull(items, "items");
        return source("from", SourceOp.fromIterable(items));
    }

    /**
     * A source of the items of a stream; each run asks {@code streams} for a fresh stream and
     * closes it at the end.
     *
     * @param streams supplies one stream per run
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> fromStream(Supplier<? extends Stream<? extends T>> streams) {
        requireNonNull(streams, "streams");
        return source("fromStream", SourceOp.fromStream(streams));
    }

    /**
     * A source of the items of an iterator; each run asks {@code iterators} for a fresh one.
     *
     * @param iterators supplies one iterator per run
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> fromIterator(
            Supplier<? extends Iterator<? extends T>> iterators) {
        requireNonNull(iterators, "iterators");
        return source("fromIterator", SourceOp.fromIterator(iterators));
    }

    /**
     * A source of the ints from {@code fromInclusive} up to {@code toExclusive}; empty when {@code
     * fromInclusive >= toExclusive}.
     *
     * @param fromInclusive the first value
     * @param toExclusive one past the last value
     * @return the pipeline
     */
    public static Pipeline<Integer> range(int fromInclusive, int toExclusive) {
        return source("range", RangeOp.ints(fromInclusive, toExclusive));
    }

    /**
     * A source of the longs from {@code fromInclusive} up to {@code toExclusive}.
     *
     * @param fromInclusive the first value
     * @param toExclusive one past the last value
     * @return the pipeline
     */
    public static Pipeline<Long> range(long fromInclusive, long toExclusive) {
        return source("range", RangeOp.longs(fromInclusive, toExclusive));
    }

    /**
     * A single-use source of the items of an existing channel: it ends when the channel is closed
     * and drained, fails the run if the channel was failed, and closes {@code receiver} at the end.
     * Running the pipeline a second time throws {@link IllegalStateException}.
     *
     * @param receiver the receiver, owned by the pipeline from now on
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> from(Receiver<? extends T> receiver) {
        requireNonNull(receiver, "receiver");
        return source("fromReceiver", ReceiverSourceOp.of(receiver));
    }

    /**
     * Many sources, one stream: each source runs on its own thread(s) and their items interleave
     * (per source in order). When the next stage runs on one thread and handles items one at a
     * time ({@code map}, {@code filter}, a terminal, ...) it reads every source's channel itself and
     * the merge adds no thread (its metrics show 0 workers); before any other stage, one thread per
     * source forwards the items.
     *
     * @param sources the sources, at least one
     * @param <T> the item type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code sources} is empty
     */
    public static <T> Pipeline<T> merge(List<? extends Pipeline<? extends T>> sources) {
        requireNonNull(sources, "sources");
        checkArgument(!sources.isEmpty(), "merge needs at least 1 source but had %s", 0);
        List<Node> inputs = new ArrayList<>();
        Settings first = null;
        for (Pipeline<? extends T> p : sources) {
            Pipeline<?> source = requireNonNull(p, "source");
            inputs.add(source.node);
            if (first == null) {
                first = source.settings;
            }
        }
        return new Pipeline<>(Node.of(MergeOp.of(inputs.size()), "merge", inputs), first);
    }

    /**
     * Many sources, one stream; see {@link #merge(List)}.
     *
     * @param sources the sources, at least one
     * @param <T> the item type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code sources} is empty
     */
    @SafeVarargs
    public static <T> Pipeline<T> merge(Pipeline<? extends T>... sources) {
        requireNonNull(sources, "sources");
        List<Pipeline<? extends T>> list = new ArrayList<>(sources.length);
        for (Pipeline<? extends T> p : sources) {
            list.add(p);
        }
        return merge(list);
    }

    // ------------------------------------------------------------------ transforms

    /**
     * Applies {@code fn} to each item.
     *
     * @param fn the function; may throw, see {@link Stage#onError}
     * @param <R> the result type
     * @return the pipeline
     */
    public <R> Stage<T, R> map(StageFunction<? super T, ? extends R> fn) {
        return map("map", fn);
    }

    /**
     * A named {@link #map(StageFunction)}.
     *
     * @param name the stage's name
     * @param fn the function
     * @param <R> the result type
     * @return the pipeline
     */
    public <R> Stage<T, R> map(String name, StageFunction<? super T, ? extends R> fn) {
        return stage(name, MapOp.of(requireNonNull(fn, "fn")));
    }

    /**
     * Keeps the items that pass {@code p}.
     *
     * @param p the predicate
     * @return the pipeline
     */
    public Stage<T, T> filter(StagePredicate<? super T> p) {
        return filter("filter", p);
    }

    /**
     * A named {@link #filter(StagePredicate)}.
     *
     * @param name the stage's name
     * @param p the predicate
     * @return the pipeline
     */
    public Stage<T, T> filter(String name, StagePredicate<? super T> p) {
        return stage(name, FilterOp.of(requireNonNull(p, "predicate")));
    }

    /**
     * Replaces each item by the items of the iterable {@code fn} returns, in order.
     *
     * @param fn the function
     * @param <R> the result type
     * @return the pipeline
     */
    public <R> Stage<T, R> flatMap(StageFunction<? super T, ? extends Iterable<? extends R>> fn) {
        return flatMap("flatMap", fn);
    }

    /**
     * A named {@link #flatMap(StageFunction)}.
     *
     * @param name the stage's name
     * @param fn the function
     * @param <R> the result type
     * @return the pipeline
     */
    public <R> Stage<T, R> flatMap(
            String name, StageFunction<? super T, ? extends Iterable<? extends R>> fn) {
        return stage(name, FlatMapOp.of(requireNonNull(fn, "fn")));
    }

    /**
     * Runs {@code action} on each item and passes it on.
     *
     * @param action the action
     * @return the pipeline
     */
    public Stage<T, T> peek(StageConsumer<? super T> action) {
        return peek("peek", action);
    }

    /**
     * A named {@link #peek(StageConsumer)}.
     *
     * @param name the stage's name
     * @param action the action
     * @return the pipeline
     */
    public Stage<T, T> peek(String name, StageConsumer<? super T> action) {
        return stage(name, PeekOp.of(requireNonNull(action, "action")));
    }

    /**
     * Passes the first {@code n} items, then stops and cancels upstream (the stages before it stop
     * quietly).
     *
     * @param n how many items, at least 0
     * @return the pipeline
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Pipeline<T> take(long n) {
        return take("take", n);
    }

    /**
     * A named {@link #take(long)}.
     *
     * @param name the stage's name
     * @param n how many items, at least 0
     * @return the pipeline
     */
    public Pipeline<T> take(String name, long n) {
        checkArgument(n >= 0, "n must be >= 0 but was %s", n);
        checkNotEndingATrackedBranch(name);
        return then(name, TakeOp.of(n));
    }

    /**
     * Refuses a stage that ends early on its own ({@code take}, {@code takeWhile}) inside a branch
     * of a fan-out fed by a tracked source: the items queued for it when it ends would never be
     * done while the other branches go on, so the source could never acknowledge them (ADR 19,
     * "known gap"). Outside a branch an early end ends the run, which is fine.
     */
    private void checkNotEndingATrackedBranch(String name) {
        checkState(
                !(node.tracked() && node.insideBranch()),
                "stage '%s': a stage that ends early cannot be inside a branch of a broadcast or"
                        + " partition fed by a tracked source (generateTracked): the items queued"
                        + " for it when it ends would never be done while the other branches go"
                        + " on; end early after the fan-out instead",
                name);
    }

    /**
     * Passes items while they pass {@code p}; at the first that does not, stops and cancels
     * upstream.
     *
     * @param p the predicate
     * @return the pipeline
     */
    public Stage<T, T> takeWhile(StagePredicate<? super T> p) {
        return takeWhile("takeWhile", p);
    }

    /**
     * A named {@link #takeWhile(StagePredicate)}.
     *
     * @param name the stage's name
     * @param p the predicate
     * @return the pipeline
     */
    public Stage<T, T> takeWhile(String name, StagePredicate<? super T> p) {
        requireNonNull(p, "predicate");
        checkNotEndingATrackedBranch(name);
        return stage(name, TakeWhileOp.of(p));
    }

    /**
     * Drops the first {@code n} items.
     *
     * @param n how many items, at least 0
     * @return the pipeline
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Pipeline<T> drop(long n) {
        return drop("drop", n);
    }

    /**
     * A named {@link #drop(long)}.
     *
     * @param name the stage's name
     * @param n how many items, at least 0
     * @return the pipeline
     */
    public Pipeline<T> drop(String name, long n) {
        checkArgument(n >= 0, "n must be >= 0 but was %s", n);
        return then(name, DropOp.of(n));
    }

    /**
     * Emits the running value: for items {@code a, b, ...} emits {@code fn(initial, a)}, then
     * {@code fn(fn(initial, a), b)}, and so on (not {@code initial} itself).
     *
     * @param initial the starting value, not null
     * @param fn the step
     * @param <R> the value type
     * @return the pipeline
     */
    public <R> Stage<T, R> scan(R initial, StageBiFunction<? super R, ? super T, ? extends R> fn) {
        return scan("scan", initial, fn);
    }

    /**
     * A named {@link #scan(Object, StageBiFunction)}.
     *
     * @param name the stage's name
     * @param initial the starting value
     * @param fn the step
     * @param <R> the value type
     * @return the pipeline
     */
    public <R> Stage<T, R> scan(
            String name, R initial, StageBiFunction<? super R, ? super T, ? extends R> fn) {
        requireNonNull(initial, "initial");
        return stage(name, ScanOp.of(initial, requireNonNull(fn, "fn")));
    }

    /**
     * Drops items equal to an earlier one. Remembers every distinct item of the run.
     *
     * @return the pipeline
     */
    public Pipeline<T> distinct() {
        return distinct("distinct");
    }

    /**
     * A named {@link #distinct()}.
     *
     * @param name the stage's name
     * @return the pipeline
     */
    public Pipeline<T> distinct(String name) {
        return then(name, DistinctOp.of());
    }

    /**
     * Groups items into lists of {@code size}; the last one may be smaller, and is never lost.
     *
     * @param size items per batch, at least 1
     * @return the pipeline
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public Pipeline<List<T>> batch(int size) {
        return batch("batch", size);
    }

    /**
     * A named {@link #batch(int)}.
     *
     * @param name the stage's name
     * @param size items per batch, at least 1
     * @return the pipeline
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public Pipeline<List<T>> batch(String name, int size) {
        checkArgument(size >= 1, "size must be >= 1 but was %s", size);
        return then(name, BatchOp.bySize(size));
    }

    /**
     * Groups items into lists: a batch leaves when it holds {@code size} items or {@code maxWait}
     * after its first item arrived, whichever comes first. The last partial batch is never lost.
     *
     * @param size items per batch, at least 1
     * @param maxWait the longest a batch waits after its first item, positive
     * @return the pipeline
     * @throws IllegalArgumentException if {@code size < 1} or {@code maxWait} is not positive
     */
    public Pipeline<List<T>> batch(int size, Duration maxWait) {
        return batch("batch", size, maxWait);
    }

    /**
     * A named {@link #batch(int, Duration)}.
     *
     * @param name the stage's name
     * @param size items per batch, at least 1
     * @param maxWait the longest a batch waits after its first item, positive
     * @return the pipeline
     * @throws IllegalArgumentException if {@code size < 1} or {@code maxWait} is not positive
     */
    public Pipeline<List<T>> batch(String name, int size, Duration maxWait) {
        checkArgument(size >= 1, "size must be >= 1 but was %s", size);
        checkPositive(maxWait, "maxWait");
        return then(name, BatchOp.bySizeOrTime(size, Durations.saturatedNanos(maxWait)));
    }

    private static void checkPositive(Duration d, String what) {
        requireNonNull(d, what);
        checkArgument(!d.isNegative() && !d.isZero(), "%s must be positive but was %s", what, d);
    }

    /**
     * Lets at most {@code permits} items pass per {@code per}, in bursts of at most {@code
     * permits}; items wait (backpressure) rather than being dropped.
     *
     * @param permits items per period, at least 1
     * @param per the period, positive
     * @return the pipeline
     * @throws IllegalArgumentException if {@code permits < 1} or {@code per} is not positive
     */
    public Pipeline<T> throttle(int permits, Duration per) {
        return throttle("throttle", permits, per);
    }

    /**
     * A named {@link #throttle(int, Duration)}.
     *
     * @param name the stage's name
     * @param permits items per period, at least 1
     * @param per the period, positive
     * @return the pipeline
     * @throws IllegalArgumentException if {@code permits < 1} or {@code per} is not positive
     */
    public Pipeline<T> throttle(String name, int permits, Duration per) {
        checkArgument(permits >= 1, "permits must be >= 1 but was %s", permits);
        checkPositive(per, "per");
        return then(name, ThrottleOp.of(permits, Durations.saturatedNanos(per)));
    }

    /**
     * Applies {@code fn} on {@code workers} threads and emits the results in input order.
     *
     * @param workers threads, at least 1
     * @param fn the function
     * @param <R> the result type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public <R> Stage<T, R> mapParallel(int workers, StageFunction<? super T, ? extends R> fn) {
        return mapParallel("mapParallel", workers, fn);
    }

    /**
     * A named {@link #mapParallel(int, StageFunction)}.
     *
     * @param name the stage's name
     * @param workers threads, at least 1
     * @param fn the function
     * @param <R> the result type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public <R> Stage<T, R> mapParallel(
            String name, int workers, StageFunction<? super T, ? extends R> fn) {
        checkWorkers(workers);
        return stage(name, MapParallelOp.of(workers, requireNonNull(fn, "fn")));
    }

    private static void checkWorkers(int workers) {
        checkArgument(workers >= 1, "workers must be >= 1 but was %s", workers);
    }

    /**
     * Applies {@code fn} on {@code workers} threads and emits each result as soon as it is ready.
     *
     * @param workers threads, at least 1
     * @param fn the function
     * @param <R> the result type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public <R> Stage<T, R> mapParallelUnordered(
            int workers, StageFunction<? super T, ? extends R> fn) {
        return mapParallelUnordered("mapParallelUnordered", workers, fn);
    }

    /**
     * A named {@link #mapParallelUnordered(int, StageFunction)}.
     *
     * @param name the stage's name
     * @param workers threads, at least 1
     * @param fn the function
     * @param <R> the result type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public <R> Stage<T, R> mapParallelUnordered(
            String name, int workers, StageFunction<? super T, ? extends R> fn) {
        checkWorkers(workers);
        return stage(name, MapParallelUnorderedOp.of(workers, requireNonNull(fn, "fn")));
    }

    /**
     * Applies {@code fn} on {@code workers} threads; items with equal keys are handled one at a
     * time, in input order, by the same worker; items with different keys may be reordered.
     *
     * @param workers threads, at least 1
     * @param key the key of an item
     * @param fn the function
     * @param <K> the key type
     * @param <R> the result type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public <K, R> Stage<T, R> mapParallelByKey(
            int workers,
            StageFunction<? super T, ? extends K> key,
            StageFunction<? super T, ? extends R> fn) {
        return mapParallelByKey("mapParallelByKey", workers, key, fn);
    }

    /**
     * A named {@link #mapParallelByKey(int, StageFunction, StageFunction)}.
     *
     * @param name the stage's name
     * @param workers threads, at least 1
     * @param key the key of an item
     * @param fn the function
     * @param <K> the key type
     * @param <R> the result type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public <K, R> Stage<T, R> mapParallelByKey(
            String name,
            int workers,
            StageFunction<? super T, ? extends K> key,
            StageFunction<? super T, ? extends R> fn) {
        checkWorkers(workers);
        return stage(
                name,
                MapParallelByKeyOp.of(
                        workers, requireNonNull(key, "key"), requireNonNull(fn, "fn")));
    }

    /**
     * Adds a stage written as a plain receive/send loop; see {@link CustomStage}.
     *
     * @param name the stage's name
     * @param stage the loop
     * @param <R> the output type
     * @return the pipeline
     */
    public <R> Pipeline<R> through(String name, CustomStage<? super T, R> stage) {
        requireNonNull(stage, "stage");
        checkState(
                !node.tracked(),
                "stage '%s': a custom stage cannot follow a tracked source (generateTracked):"
                        + " it reads raw channels, so the runtime could not tell when it is done"
                        + " with an item; use the built-in stages, or a Sink as the terminal",
                name);
        return then(name, ThroughOp.of(stage));
    }

    // ------------------------------------------------------------------ fan-out

    /**
     * Sends every item to every branch and merges the branches' outputs into one stream. Each branch
     * is built once from a pipeline standing for its input; the same item object reaches every
     * branch, so branches must not mutate items.
     *
     * @param branches builds each branch from its input, at least one
     * @param <R> the output type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code branches} is empty, or a branch is not built from
     *     the pipeline it is given
     */
    public <R> Pipeline<R> broadcast(List<? extends Function<Pipeline<T>, Pipeline<R>>> branches) {
        return broadcast("broadcast", branches);
    }

    /**
     * A named {@link #broadcast(List)}.
     *
     * @param name the stage's name
     * @param branches builds each branch from its input, at least one
     * @param <R> the output type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code branches} is empty, or a branch is not built from
     *     the pipeline it is given
     */
    public <R> Pipeline<R> broadcast(
            String name, List<? extends Function<Pipeline<T>, Pipeline<R>>> branches) {
        checkName(name);
        requireNonNull(branches, "branches");
        checkArgument(!branches.isEmpty(), "branches must not be empty but was %s", branches);
        List<Node> heads = new ArrayList<>();
        List<Node> tails = new ArrayList<>();
        for (Function<Pipeline<T>, Pipeline<R>> b : branches) {
            buildBranch(name, requireNonNull(b, "branch"), heads, tails);
        }
        return then(name, FanOutOp.broadcast(heads, tails));
    }

    private <R> void buildBranch(
            String name,
            Function<Pipeline<T>, Pipeline<R>> branch,
            List<Node> heads,
            List<Node> tails) {
        Node head = Node.branchInput(name + ".in-" + heads.size(), node.tracked());
        Pipeline<R> tail = requireNonNull(branch.apply(new Pipeline<>(head, settings)), "branch");
        checkArgument(
                tail.node.reaches(head),
                "a branch of '%s' must be built from the pipeline it is given",
                name);
        heads.add(head);
        tails.add(tail.node);
    }

    /**
     * Splits items over {@code partitions} copies of a branch by key (items with equal keys go to
     * the same copy, in order) and merges the copies' outputs into one stream.
     *
     * @param partitions copies of the branch, at least 1
     * @param key the key of an item
     * @param branch builds a branch from its input (called once per copy)
     * @param <K> the key type
     * @param <R> the output type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code partitions < 1}, or the branch is not built from the
     *     pipeline it is given
     */
    public <K, R> Pipeline<R> partition(
            int partitions,
            StageFunction<? super T, ? extends K> key,
            Function<Pipeline<T>, Pipeline<R>> branch) {
        return partition("partition", partitions, key, branch);
    }

    /**
     * A named {@link #partition(int, StageFunction, Function)}.
     *
     * @param name the stage's name
     * @param partitions copies of the branch, at least 1
     * @param key the key of an item
     * @param branch builds a branch from its input
     * @param <K> the key type
     * @param <R> the output type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code partitions < 1}, or the branch is not built from the
     *     pipeline it is given
     */
    public <K, R> Pipeline<R> partition(
            String name,
            int partitions,
            StageFunction<? super T, ? extends K> key,
            Function<Pipeline<T>, Pipeline<R>> branch) {
        checkName(name);
        checkArgument(partitions >= 1, "partitions must be >= 1 but was %s", partitions);
        requireNonNull(key, "key");
        requireNonNull(branch, "branch");
        List<Node> heads = new ArrayList<>();
        List<Node> tails = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            buildBranch(name, branch, heads, tails);
        }
        return then(name, FanOutOp.partition(heads, tails, key));
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Sets the capacity of the last stage's output channel.
     *
     * @param capacity items buffered, at least 0 (0: rendezvous)
     * @return the pipeline
     * @throws IllegalArgumentException if {@code capacity < 0}
     */
    public Pipeline<T> capacity(int capacity) {
        return new Pipeline<>(withCapacity(capacity), settings);
    }

    /** This pipeline's last node with another capacity, checked. */
    final Node withCapacity(int capacity) {
        checkArgument(capacity >= 0, "capacity must be >= 0 but was %s", capacity);
        return node.withCapacity(capacity);
    }

    /**
     * Runs the last stage on virtual threads.
     *
     * @return the pipeline
     */
    public Pipeline<T> virtualThreads() {
        return new Pipeline<>(node.withVirtual(true), settings);
    }

    /**
     * Runs the last stage on platform threads.
     *
     * @return the pipeline
     */
    public Pipeline<T> platformThreads() {
        return new Pipeline<>(node.withVirtual(false), settings);
    }

    /**
     * Names the pipeline: threads are named {@code "<pipeline>-<stage>[-<worker>]"}, channels
     * {@code "<pipeline>.<stage>"}. The default name is {@code "pipeline"}.
     *
     * @param pipelineName the name
     * @return the pipeline
     */
    public Pipeline<T> named(String pipelineName) {
        return new Pipeline<>(node, withName(pipelineName));
    }

    /** This pipeline's settings with another name, checked. */
    final Settings withName(String pipelineName) {
        checkName(pipelineName);
        return new Settings(pipelineName, settings.virtual, settings.logSummary, settings.observer);
    }

    /**
     * Runs every stage without its own choice on virtual threads.
     *
     * @return the pipeline
     */
    public Pipeline<T> withVirtualThreads() {
        return new Pipeline<>(node, withVirtualDefault());
    }

    /** This pipeline's settings with virtual threads as the default. */
    final Settings withVirtualDefault() {
        return new Settings(settings.name, true, settings.logSummary, settings.observer);
    }

    /**
     * Logs the {@linkplain PipelineMetrics#report() report} at SLF4J INFO (logger {@code
     * dev.pipeline.Pipeline}) when each run ends.
     *
     * @return the pipeline
     */
    public Pipeline<T> logSummary() {
        return new Pipeline<>(node, withLogSummary());
    }

    /** This pipeline's settings with the report logged at the end of each run. */
    final Settings withLogSummary() {
        return new Settings(settings.name, settings.virtual, true, settings.observer);
    }

    /** Test hook: {@code observer} is told about every thread a run creates, before it starts. */
    Pipeline<T> observeThreads(Consumer<Thread> observer) {
        return new Pipeline<>(
                node, new Settings(settings.name, settings.virtual, settings.logSummary, observer));
    }

    // ------------------------------------------------------------------ terminals

    /**
     * Runs the pipeline and returns its items in a list (in order, for an order-keeping pipeline).
     *
     * @return the items
     * @throws PipelineException if a stage failed
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public List<T> toList() {
        return runTerminal("toList", CollectOp.of(Collectors.toList()));
    }

    /**
     * Runs the pipeline into a collector (on the terminal's thread).
     *
     * @param c the collector
     * @param <R> the result type
     * @param <A> the collector's container type
     * @return the collector's result
     * @throws PipelineException if a stage failed
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public <R, A> R collect(Collector<? super T, A, R> c) {
        return runTerminal("collect", CollectOp.of(requireNonNull(c, "collector")));
    }

    /**
     * Runs the pipeline and reduces its items. Like every function of a stage, {@code op} must
     * not return null: a null result fails the run (stage {@code "reduce"}) with a {@link
     * NullPointerException}.
     *
     * @param op the associative operator
     * @return the reduction, empty for no items
     * @throws PipelineException if a stage failed, {@code op} returned null included
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public Optional<T> reduce(BinaryOperator<T> op) {
        return runTerminal("reduce", ReduceOp.fromFirstItem(requireNonNull(op, "op")));
    }

    /**
     * Runs the pipeline and reduces its items, starting from {@code identity}. {@code identity}
     * may be null (it is the result for no items); {@code op} must not return null: a null result
     * fails the run (stage {@code "reduce"}) with a {@link NullPointerException}.
     *
     * @param identity the identity of {@code op}
     * @param op the associative operator
     * @return the reduction
     * @throws PipelineException if a stage failed, {@code op} returned null included
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public T reduce(T identity, BinaryOperator<T> op) {
        return runTerminal("reduce", ReduceOp.fromIdentity(identity, requireNonNull(op, "op")));
    }

    /**
     * Runs the pipeline and counts its items.
     *
     * @return the count
     * @throws PipelineException if a stage failed
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public long count() {
        Long n = runTerminal("count", CountOp.of());
        return n;
    }

    /**
     * Runs the pipeline, calling {@code a} on each item on the terminal's thread.
     *
     * @param a the action
     * @throws PipelineException if a stage (or {@code a}) failed
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public void forEach(StageConsumer<? super T> a) {
        forEach("forEach", a);
    }

    /**
     * A named {@link #forEach(StageConsumer)}: the terminal stage is called {@code name}.
     *
     * @param name the terminal stage's name
     * @param a the action
     * @throws PipelineException if a stage failed
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public void forEach(String name, StageConsumer<? super T> a) {
        checkName(name);
        runTerminal(name, ForEachOp.of(requireNonNull(a, "action")));
    }

    /**
     * A {@link #forEach(String, StageConsumer)} whose action's exceptions are handled by {@code
     * policy} (by default they fail the run): a terminal runs at once, so it takes its policy here
     * rather than from {@link Stage#onError}.
     *
     * <pre>{@code
     * Channel<DeadLetter<Order>> dead = Channel.unbounded();
     * orders.forEach("store", db::insert,
     *         ErrorPolicy.retry(3, Duration.ofMillis(20)).thenDeadLetter(dead.sender()));
     * }</pre>
     *
     * @param name the terminal stage's name
     * @param a the action
     * @param policy what to do when {@code a} throws an exception on an item
     * @throws PipelineException if a stage failed (or {@code a}, as {@code policy} says)
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public void forEach(String name, StageConsumer<? super T> a, ErrorPolicy<? super T> policy) {
        checkName(name);
        requireNonNull(policy, "policy");
        runTerminal(name, ForEachOp.of(requireNonNull(a, "action")), policy);
    }

    /**
     * Runs the pipeline into {@code sink}: the terminal stage, named {@code name}, opens the sink's
     * writer, writes every item, and once the input is drained flushes and closes it. An item is
     * done (for a {@linkplain #generateTracked tracked source}) when the sink acknowledges it.
     *
     * @param name the terminal stage's name
     * @param sink the sink
     * @throws PipelineException if a stage failed, the sink included (a write that threw or was
     *     acknowledged as failed)
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public void drainTo(String name, Sink<? super T> sink) {
        checkName(name);
        runTerminal(name, SinkOp.of(requireNonNull(sink, "sink")));
    }

    /**
     * A {@link #drainTo(String, Sink)} whose failed writes are handled by {@code policy}: a write
     * that throws is retried, skipped or dead-lettered as it says; a write acknowledged as failed
     * later is skipped or dead-lettered (not retried) or fails the run.
     *
     * @param name the terminal stage's name
     * @param sink the sink
     * @param policy what to do with an item whose write failed
     * @throws PipelineException if a stage failed (or the sink, as {@code policy} says)
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public void drainTo(String name, Sink<? super T> sink, ErrorPolicy<? super T> policy) {
        checkName(name);
        requireNonNull(policy, "policy");
        runTerminal(name, SinkOp.of(requireNonNull(sink, "sink")), policy);
    }

    /**
     * Starts the pipeline in the background into {@code sink} (see {@link #drainTo(String,
     * Sink)}).
     *
     * @param name the terminal stage's name
     * @param sink the sink
     * @return the run's handle; its result is null
     */
    public PipelineRun<Void> start(String name, Sink<? super T> sink) {
        checkName(name);
        return startRun(name, SinkOp.of(requireNonNull(sink, "sink")));
    }

    /**
     * Starts the pipeline in the background into {@code sink}, its failed writes handled by {@code
     * policy} (see {@link #drainTo(String, Sink, ErrorPolicy)}).
     *
     * @param name the terminal stage's name
     * @param sink the sink
     * @param policy what to do with an item whose write failed
     * @return the run's handle; its result is null
     */
    public PipelineRun<Void> start(
            String name, Sink<? super T> sink, ErrorPolicy<? super T> policy) {
        checkName(name);
        requireNonNull(policy, "policy");
        return startRun(name, SinkOp.of(requireNonNull(sink, "sink")), policy);
    }

    /**
     * Runs the pipeline, sending every item to {@code out}; closes {@code out} at the end, or fails
     * it with the {@link PipelineException} if the run fails.
     *
     * @param out the channel to fill
     * @throws PipelineException if a stage failed, or {@code out}'s receivers closed
     * @throws CancellationException if the caller was interrupted (the flag is set again)
     */
    public void into(Sender<? super T> out) {
        requireNonNull(out, "out");
        try {
            runTerminal("into", IntoOp.of(out));
        } catch (RuntimeException e) {
            if (!out.isClosed()) {
                out.fail(e);
            }
            throw e;
        }
        out.close();
    }

    /**
     * Starts the pipeline in the background, discarding its output.
     *
     * @return the run's handle; its result is null
     */
    public PipelineRun<Void> start() {
        return startRun("discard", ForEachOp.of((Object x) -> {}));
    }

    /**
     * Starts the pipeline in the background, collecting its output.
     *
     * @param c the collector
     * @param <R> the result type
     * @param <A> the collector's container type
     * @return the run's handle
     */
    public <R, A> PipelineRun<R> start(Collector<? super T, A, R> c) {
        return startRun("collect", CollectOp.of(requireNonNull(c, "collector")));
    }

    private <R> PipelineRun<R> startRun(String name, Op sink) {
        return startRun(name, sink, null);
    }

    private <R> PipelineRun<R> startRun(String name, Op sink, ErrorPolicy<?> policy) {
        RunWiring wiring =
                new RunWiring(
                        settings.name,
                        settings.virtual,
                        settings.observer,
                        settings.logSummary,
                        PipelineException::new);
        Node terminal = Node.of(sink, name, List.of(node));
        RunLifecycle run =
                wiring.start(policy == null ? terminal : terminal.withPolicy(policy.spec()));
        return new Run<>(run, wiring);
    }

    @SuppressWarnings("unchecked")
    private <R> R runTerminal(String name, Op sink) {
        return runTerminal(name, sink, null);
    }

    private <R> R runTerminal(String name, Op sink, ErrorPolicy<?> policy) {
        PipelineRun<R> run = startRun(name, sink, policy);
        try {
            return run.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException ce =
                    new CancellationException(
                            "interrupted while waiting for pipeline '" + settings.name + "'");
            ce.initCause(e);
            throw ce;
        }
    }

    /** The handle of a started run. */
    private static final class Run<R> implements PipelineRun<R> {
        private final RunLifecycle run;
        private final RunWiring wiring;

        Run(RunLifecycle run, RunWiring wiring) {
            this.run = run;
            this.wiring = wiring;
        }

        @Override
        @SuppressWarnings("unchecked")
        public R await() throws InterruptedException {
            try {
                return (R) run.await(null);
            } catch (TimeoutException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public R await(Duration timeout) throws InterruptedException, TimeoutException {
            checkPositive(timeout, "timeout");
            return (R) run.await(timeout);
        }

        @Override
        public void cancel() {
            run.cancel();
        }

        @Override
        public boolean isDone() {
            return run.isDone();
        }

        @Override
        public PipelineMetrics metrics() {
            return wiring.metrics();
        }

        @Override
        public String toString() {
            return "PipelineRun[" + (isDone() ? "done" : "running") + "]";
        }
    }

    /**
     * A pipeline whose last stage calls a function per item ({@link #map}, {@link #filter}, {@link
     * #flatMap}, {@link #peek}, {@link #takeWhile}, {@link #scan}, the parallel maps): it knows that
     * stage's input type {@code I} as well as its output type {@code O}, so that {@link
     * #onError(ErrorPolicy)} checks a dead-letter channel against the items the stage takes.
     * Everywhere else it is the {@code Pipeline<O>} it extends; the configuration methods keep the
     * view, so they may come before or after {@code onError}.
     *
     * <pre>{@code
     * Channel<DeadLetter<String>> dead = Channel.bounded(1024);
     * Pipeline<Integer> numbers = Pipeline.from(lines)          // Pipeline<String>
     *         .map("parse", Integer::parseInt)                  // Stage<String, Integer>
     *         .capacity(64)
     *         .onError(ErrorPolicy.deadLetter(dead.sender()));  // DeadLetter<String>: checked
     * }</pre>
     *
     * <p>Immutable and thread-safe, as every pipeline.
     *
     * @param <I> the input type of the last stage
     * @param <O> the type of the items the pipeline produces
     */
    public static final class Stage<I, O> extends Pipeline<O> {

        private Stage(Node node, Settings settings) {
            super(node, settings);
        }

        /**
         * Sets the error policy of the last stage: what it does when its function throws an
         * exception on an item (by default the run fails). A stage has one policy; combine retry
         * with skip or dead letters in it ({@link ErrorPolicy.Retry#thenDeadLetter}). Errors are
         * never handled by a policy (see {@link ErrorPolicy}).
         *
         * @param policy the policy, for items of the stage's input type or a supertype
         * @return the pipeline
         * @throws IllegalStateException if the last stage has a policy already (the message names
         *     the stage)
         */
        public Stage<I, O> onError(ErrorPolicy<? super I> policy) {
            requireNonNull(policy, "policy");
            return new Stage<>(node().withPolicy(policy.spec()), settings());
        }

        @Override
        public Stage<I, O> capacity(int capacity) {
            return new Stage<>(withCapacity(capacity), settings());
        }

        @Override
        public Stage<I, O> virtualThreads() {
            return new Stage<>(node().withVirtual(true), settings());
        }

        @Override
        public Stage<I, O> platformThreads() {
            return new Stage<>(node().withVirtual(false), settings());
        }

        @Override
        public Stage<I, O> named(String pipelineName) {
            return new Stage<>(node(), withName(pipelineName));
        }

        @Override
        public Stage<I, O> withVirtualThreads() {
            return new Stage<>(node(), withVirtualDefault());
        }

        @Override
        public Stage<I, O> logSummary() {
            return new Stage<>(node(), withLogSummary());
        }
    }

    /** The last node (for {@link Stage}, which cannot read the private field of its super). */
    final Node node() {
        return node;
    }

    /** The whole-pipeline settings (for {@link Stage}). */
    final Settings settings() {
        return settings;
    }

    @Override
    public String toString() {

        return "Pipeline[" + settings.name + ", last stage '" + node.name() + "']";
    }
}
