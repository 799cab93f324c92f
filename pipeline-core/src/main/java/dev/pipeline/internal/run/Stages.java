package dev.pipeline.internal.run;

import dev.pipeline.CustomStage;
import dev.pipeline.SourceBody;
import dev.pipeline.StageBiFunction;
import dev.pipeline.StageConsumer;
import dev.pipeline.StageFunction;
import dev.pipeline.StagePredicate;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collector;

/**
 * Factories of every stage kind, for {@link dev.pipeline.Pipeline} to assemble. Each kind is a
 * package-private {@link Op}; the simple one-thread, item-at-a-time kinds share {@link ItemOp} and
 * differ only in their {@link ItemWorker}.
 */
public final class Stages {
    private Stages() {}

    /** Makes the worker of a one-thread item stage, once per run. */
    interface WorkerFactory {
        ItemWorker make(StageInfo stage, Sender<Object> out);
    }

    /** A one-thread stage handling items one at a time. */
    static final class ItemOp extends Op {
        private final boolean policy;
        private final WorkerFactory factory;

        ItemOp(boolean policy, WorkerFactory factory) {
            this.policy = policy;
            this.factory = factory;
        }

        @Override
        boolean acceptsPolicy() {
            return policy;
        }

        @Override
        boolean takesMergedInputs() {
            return true;
        }

        @Override
        boolean readsInputsAlone() {
            return true;
        }

        @Override
        boolean writesOutputAlone() {
            return true; // the user's function returns results, it never sees the sender
        }

        @Override
        void build(
                RunWiring run,
                StageInfo stage,
                Node node,
                List<Receiver<Object>> ins,
                Sender<Object> out) {
            stage.readsAll(ins);
            ItemWorker worker = factory.make(stage, out);
            run.spawn(stage, null, true, () -> worker.run(ins), ins, List.of(out));
        }
    }

    // ---- sources

    /** A source running a user's send loop. */
    static final class SourceOp extends Op {
        private final SourceBody<Object> body;

        SourceOp(SourceBody<Object> body) {
            this.body = body;
        }

        @Override
        void build(
                RunWiring run,
                StageInfo stage,
                Node node,
                List<Receiver<Object>> ins,
                Sender<Object> out) {
            run.spawn(stage, null, true, () -> body.run(out), List.of(), List.of(out));
        }
    }

    /**
     * A source sending what {@code body} sends.
     *
     * @param body the user's loop
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op source(SourceBody<?> body) {
        return new SourceOp((SourceBody<Object>) body);
    }

    /**
     * A source of the numbers from {@code from} up to {@code to}, as {@code Integer}s or {@code
     * Long}s. Counting cannot block, so outputs are published in runs: when the buffer is full or
     * the next stage is parked waiting for items.
     *
     * @param from the first value
     * @param to one past the last value
     * @param ints whether to box as {@code Integer} (else {@code Long})
     * @return the stage
     */
    public static Op range(long from, long to, boolean ints) {
        return new Op() {
            @Override
            boolean writesOutputAlone() {
                return true;
            }

            @Override
            void build(
                    RunWiring run,
                    StageInfo stage,
                    Node node,
                    List<Receiver<Object>> ins,
                    Sender<Object> out) {
                run.spawn(
                        stage,
                        null,
                        true,
                        () -> {
                            Object[] buf = new Object[ItemWorker.CHUNK];
                            Engine.Output output = Engine.output(out);
                            int n = 0;
                            for (long i = from; i < to; i++) {
                                buf[n++] = ints ? (Object) (int) i : (Object) i;
                                if (n == buf.length || output.receiverWaiting()) {
                                    run.lifecycle.stopIfStopping();
                                    output.sendBatch(buf, 0, n);
                                    n = 0;
                                }
                            }
                            if (n > 0) {
                                output.sendBatch(buf, 0, n);
                            }
                        },
                        List.of(),
                        List.of(out));
            }
        };
    }

    /** A single-use source draining a user's receiver. */
    static final class ReceiverSourceOp extends Op {
        private final Receiver<Object> rx;
        private final AtomicBoolean used = new AtomicBoolean();

        ReceiverSourceOp(Receiver<Object> rx) {
            this.rx = rx;
        }

        @Override
        void build(
                RunWiring run,
                StageInfo stage,
                Node node,
                List<Receiver<Object>> ins,
                Sender<Object> out) {
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException(
                        "a pipeline from a receiver runs once; receiver of '"
                                + rx.channel().name()
                                + "' was already used");
            }
            stage.inputs.add(rx.channel());
            run.spawn(stage, null, true, () -> drain(run, out), List.of(rx), List.of(out));
        }

        private void drain(RunWiring run, Sender<Object> out) throws InterruptedException {
            ArrayList<Object> buf = new ArrayList<>(ItemWorker.CHUNK);
            while (true) {
                run.lifecycle.stopIfStopping();
                try {
                    buf.add(rx.receive());
                } catch (ChannelClosedException e) {
                    if (e.isFailure()) {
                        throw new ForeignFailure(e.getCause());
                    }
                    return;
                }
                rx.drainTo(buf, ItemWorker.CHUNK - 1);
                for (int i = 0, n = buf.size(); i < n; i++) {
                    out.send(buf.get(i));
                }
                buf.clear();
            }
        }
    }

    /**
     * A single-use source draining {@code rx}; closes it at the end.
     *
     * @param rx the receiver
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op fromReceiver(Receiver<?> rx) {
        return new ReceiverSourceOp((Receiver<Object>) rx);
    }

    // ---- one-thread transforms

    /** {@code map}. */
    @SuppressWarnings("unchecked")
    public static Op map(StageFunction<?, ?> f) {
        StageFunction<Object, Object> fn = (StageFunction<Object, Object>) f;
        return new ItemOp(true, (s, out) -> mapWorker(s, out, fn));
    }

    static ItemWorker mapWorker(StageInfo s, Sender<Object> out, StageFunction<Object, Object> fn) {
        return new ItemWorker(s, out) {
            @Override
            boolean onItem(Object item) throws Exception {
                Object r = fn.apply(item);
                if (r == null) {
                    throw nullResult();
                }
                emit(r);
                return true;
            }
        };
    }

    /** {@code filter}. */
    @SuppressWarnings("unchecked")
    public static Op filter(StagePredicate<?> p) {
        StagePredicate<Object> pred = (StagePredicate<Object>) p;
        return new ItemOp(
                true,
                (s, out) ->
                        new ItemWorker(s, out) {
                            @Override
                            boolean onItem(Object item) throws Exception {
                                if (pred.test(item)) {
                                    emit(item);
                                }
                                return true;
                            }
                        });
    }

    /** {@code flatMap}. */
    @SuppressWarnings("unchecked")
    public static Op flatMap(StageFunction<?, ?> f) {
        StageFunction<Object, Iterable<?>> fn = (StageFunction<Object, Iterable<?>>) f;
        return new ItemOp(
                true,
                (s, out) ->
                        new ItemWorker(s, out) {
                            @Override
                            boolean onItem(Object item) throws Exception {
                                Iterable<?> rs = fn.apply(item);
                                if (rs == null) {
                                    throw nullResult();
                                }
                                for (Object r : rs) {
                                    if (r == null) {
                                        throw nullResult();
                                    }
                                    emit(r);
                                }
                                return true;
                            }
                        });
    }

    /** {@code peek}. */
    @SuppressWarnings("unchecked")
    public static Op peek(StageConsumer<?> c) {
        StageConsumer<Object> action = (StageConsumer<Object>) c;
        return new ItemOp(
                true,
                (s, out) ->
                        new ItemWorker(s, out) {
                            @Override
                            boolean onItem(Object item) throws Exception {
                                action.accept(item);
                                emit(item);
                                return true;
                            }
                        });
    }

    /** {@code take}: passes {@code n} items, then stops and cancels upstream. */
    public static Op take(long n) {
        return new Op() {
            @Override
            boolean readsInputsAlone() {
                return true;
            }

            @Override
            boolean writesOutputAlone() {
                return true;
            }

            @Override
            void build(
                    RunWiring run,
                    StageInfo stage,
                    Node node,
                    List<Receiver<Object>> ins,
                    Sender<Object> out) {
                Receiver<Object> in = stage.reads(ins.get(0));
                ItemWorker w =
                        new ItemWorker(stage, out) {
                            long left = n;

                            @Override
                            boolean onItem(Object item) throws InterruptedException {
                                emit(item);
                                return --left > 0;
                            }
                        };
                run.spawn(
                        stage,
                        null,
                        true,
                        () -> {
                            if (n > 0) {
                                w.run(in);
                            }
                        },
                        List.of(in),
                        List.of(out));
            }
        };
    }

    /** {@code takeWhile}. */
    @SuppressWarnings("unchecked")
    public static Op takeWhile(StagePredicate<?> p) {
        StagePredicate<Object> pred = (StagePredicate<Object>) p;
        return new ItemOp(
                true,
                (s, out) ->
                        new ItemWorker(s, out) {
                            @Override
                            boolean onItem(Object item) throws Exception {
                                if (!pred.test(item)) {
                                    return false;
                                }
                                emit(item);
                                return true;
                            }
                        });
    }

    /** {@code drop}. */
    public static Op drop(long n) {
        return new ItemOp(
                false,
                (s, out) ->
                        new ItemWorker(s, out) {
                            long left = n;

                            @Override
                            boolean onItem(Object item) throws InterruptedException {
                                if (left > 0) {
                                    left--;
                                } else {
                                    emit(item);
                                }
                                return true;
                            }
                        });
    }

    /** {@code scan}. */
    @SuppressWarnings("unchecked")
    public static Op scan(Object initial, StageBiFunction<?, ?, ?> f) {
        StageBiFunction<Object, Object, Object> fn = (StageBiFunction<Object, Object, Object>) f;
        return new ItemOp(
                true,
                (s, out) ->
                        new ItemWorker(s, out) {
                            Object acc = initial;

                            @Override
                            boolean onItem(Object item) throws Exception {
                                Object next = fn.apply(acc, item);
                                if (next == null) {
                                    throw nullResult();
                                }
                                acc = next;
                                emit(next);
                                return true;
                            }
                        });
    }

    /** {@code distinct}. */
    public static Op distinct() {
        return new ItemOp(
                false,
                (s, out) ->
                        new ItemWorker(s, out) {
                            final Set<Object> seen = new HashSet<>();

                            @Override
                            boolean onItem(Object item) throws InterruptedException {
                                if (seen.add(item)) {
                                    emit(item);
                                }
                                return true;
                            }
                        });
    }

    /**
     * {@code throttle}: at most {@code permits} items per {@code perNanos}, in bursts of at most
     * {@code permits} (the generic cell rate algorithm: each item is due one interval after the
     * previous one, and may come early by up to {@code permits - 1} intervals). Times are kept
     * relative to the stage's first item and every sum saturates, so a huge period (a saturated
     * {@code Long.MAX_VALUE}) means "wait as long as it takes", never an overflow.
     */
    public static Op throttle(int permits, long perNanos) {
        long interval = Math.max(1, perNanos / permits);
        long tolerance =
                permits - 1 > Long.MAX_VALUE / interval ? Long.MAX_VALUE : interval * (permits - 1);
        return new ItemOp(
                false,
                (s, out) ->
                        new ItemWorker(s, out) {
                            long origin;
                            long due = -1; // when the next item is due, relative to origin

                            @Override
                            boolean onItem(Object item) throws InterruptedException {
                                if (due < 0) {
                                    origin = System.nanoTime();
                                    due = 0;
                                }
                                long now = System.nanoTime() - origin;
                                if (due < now) {
                                    due = now;
                                }
                                long wait = (due - now) - tolerance; // both terms >= 0
                                if (wait > 0) {
                                    TimeUnit.NANOSECONDS.sleep(wait);
                                }
                                due =
                                        due > Long.MAX_VALUE - interval
                                                ? Long.MAX_VALUE
                                                : due + interval;
                                out.send(item);
                                return true;
                            }
                        });
    }

    /** {@code batch(size)} and {@code batch(size, maxWait)}; {@code maxWaitNanos < 0}: no wait. */
    public static Op batch(int size, long maxWaitNanos) {
        return new BatchStage(size, maxWaitNanos);
    }

    /** {@code through}: a user's receive/send loop. */
    @SuppressWarnings("unchecked")
    public static Op through(CustomStage<?, ?> custom) {
        CustomStage<Object, Object> body = (CustomStage<Object, Object>) custom;
        return new Op() {
            @Override
            void build(
                    RunWiring run,
                    StageInfo stage,
                    Node node,
                    List<Receiver<Object>> ins,
                    Sender<Object> out) {
                Receiver<Object> in = stage.reads(ins.get(0));
                run.spawn(stage, null, true, () -> body.run(in, out), List.of(in), List.of(out));
            }
        };
    }

    // ---- many threads

    /**
     * {@code merge}: taken by the next stage itself when that stage {@linkplain
     * Op#takesMergedInputs reads several inputs as one} (see {@link RunWiring#wire}); otherwise one
     * forwarding thread per input.
     */
    public static Op merge(int inputs) {
        return new MergeOp(inputs);
    }

    /** {@code merge}; see {@link #merge(int)}. */
    static final class MergeOp extends Op {
        private final int inputs;

        MergeOp(int inputs) {
            this.inputs = inputs;
        }

        @Override
        int workers() {
            return inputs;
        }

        @Override
        void build(
                RunWiring run,
                StageInfo stage,
                Node node,
                List<Receiver<Object>> ins,
                Sender<Object> out) {
            forward(run, stage, ins, out);
        }
    }

    /** Spawns one thread per receiver forwarding its items to (a copy of) {@code out}. */
    static void forward(
            RunWiring run, StageInfo stage, List<Receiver<Object>> ins, Sender<Object> out) {
        List<Sender<Object>> outs = copies(out, ins.size());
        for (int i = 0; i < ins.size(); i++) {
            Receiver<Object> in = stage.reads(ins.get(i));
            Sender<Object> o = outs.get(i);
            ItemWorker w =
                    new ItemWorker(stage, o) {
                        @Override
                        boolean onItem(Object item) throws InterruptedException {
                            emit(item); // in runs, like every stage (ADR 6)
                            return true;
                        }
                    };
            run.spawn(
                    stage,
                    ins.size() == 1 ? null : Integer.toString(i),
                    true,
                    () -> w.run(in),
                    List.of(in),
                    List.of(o));
        }
    }

    /** {@code n} sender handles: {@code tx} itself and {@code n - 1} copies. */
    static List<Sender<Object>> copies(Sender<Object> tx, int n) {
        List<Sender<Object>> list = new ArrayList<>(n);
        list.add(tx);
        for (int i = 1; i < n; i++) {
            list.add(Engine.runCopy(tx));
        }
        return list;
    }

    /** {@code n} receiver handles: {@code rx} itself and {@code n - 1} copies. */
    static List<Receiver<Object>> copies(Receiver<Object> rx, int n) {
        List<Receiver<Object>> list = new ArrayList<>(n);
        list.add(rx);
        for (int i = 1; i < n; i++) {
            list.add(Engine.runCopy(rx));
        }
        return list;
    }

    /** {@code mapParallelUnordered}. */
    @SuppressWarnings("unchecked")
    public static Op mapParallelUnordered(int workers, StageFunction<?, ?> f) {
        return ParallelStages.unordered(workers, (StageFunction<Object, Object>) f);
    }

    /** {@code mapParallel}: keeps input order. */
    @SuppressWarnings("unchecked")
    public static Op mapParallel(int workers, StageFunction<?, ?> f) {
        return ParallelStages.ordered(workers, (StageFunction<Object, Object>) f);
    }

    /** {@code mapParallelByKey}. */
    @SuppressWarnings("unchecked")
    public static Op mapParallelByKey(int workers, StageFunction<?, ?> key, StageFunction<?, ?> f) {
        return ParallelStages.byKey(
                workers, (StageFunction<Object, Object>) key, (StageFunction<Object, Object>) f);
    }

    // ---- fan-out

    /** A new branch-input placeholder node. */
    public static Node branchInput(String name) {
        return Node.of(new BranchInputOp(), name, List.of());
    }

    /** {@code broadcast}: every item to every branch, the branches merged. */
    public static Op broadcast(List<Node> heads, List<Node> tails) {
        return FanOutStage.broadcast(heads, tails);
    }

    /** {@code partition}: items with the same key to the same branch, the branches merged. */
    @SuppressWarnings("unchecked")
    public static Op partition(List<Node> heads, List<Node> tails, StageFunction<?, ?> key) {
        return FanOutStage.partition(heads, tails, (StageFunction<Object, Object>) key);
    }

    // ---- terminals

    /** A terminal collecting with {@code collector}; the run's result is the collector's. */
    @SuppressWarnings("unchecked")
    public static Op collect(Collector<?, ?, ?> collector) {
        Collector<Object, Object, Object> c = (Collector<Object, Object, Object>) collector;
        Supplier<Object> supplier = c.supplier();
        BiConsumer<Object, Object> acc = c.accumulator();
        Function<Object, Object> finisher = c.finisher();
        return terminal(
                false,
                (stage, run) ->
                        new ItemWorker(stage, null) {
                            final Object container = supplier.get();

                            @Override
                            boolean onItem(Object item) {
                                acc.accept(container, item);
                                return true;
                            }

                            @Override
                            void onEnd() {
                                run.lifecycle.setResult(finisher.apply(container));
                            }
                        });
    }

    /**
     * A terminal reducing with {@code op}: from {@code identity} (the run's result is the
     * reduction; {@code identity} may be null, as in {@code Stream.reduce}), or, if {@code
     * optional}, from the first item (the result is an {@code Optional}, empty for no items, as for
     * {@code Collectors.reducing(op)}). Each run of items is folded in one loop with the
     * accumulator in a local: per item one call of {@code op}, where a collector costs an
     * accumulator call and a holder array's load and store.
     */
    @SuppressWarnings("unchecked")
    public static Op reduce(boolean optional, Object identity, BinaryOperator<?> reducer) {
        BinaryOperator<Object> op = (BinaryOperator<Object>) reducer;
        return terminal(
                false,
                (stage, run) ->
                        new ItemWorker(stage, null) {
                            Object acc = identity;
                            boolean present = !optional;

                            @Override
                            boolean onItem(Object item) {
                                if (present) {
                                    acc = notNull(op.apply(acc, item));
                                } else {
                                    acc = item;
                                    present = true;
                                }
                                return true;
                            }

                            @Override
                            boolean onItems(Object[] items, int k) {
                                int i = 0;
                                if (!present && k > 0) {
                                    acc = items[0];
                                    present = true;
                                    i = 1;
                                }
                                Object a = acc;
                                try {
                                    for (; i < k; i++) {
                                        a = op.apply(a, items[i]);
                                        if (a == null) {
                                            throw nullResult();
                                        }
                                    }
                                } finally {
                                    acc = a; // the reduction of the items before a failing one
                                }
                                return true;
                            }

                            @Override
                            void onEnd() {
                                run.lifecycle.setResult(optional ? Optional.ofNullable(acc) : acc);
                            }
                        });
    }

    /** A terminal counting its items: one addition per run of items taken with one claim. */
    public static Op count() {
        return terminal(
                false,
                (stage, run) ->
                        new ItemWorker(stage, null) {
                            long n;

                            @Override
                            boolean onItem(Object item) {
                                n++;
                                return true;
                            }

                            @Override
                            boolean onItems(Object[] items, int k) {
                                n += k;
                                return true;
                            }

                            @Override
                            void onEnd() {
                                run.lifecycle.setResult(n);
                            }
                        });
    }

    /** A terminal running {@code action} on each item. */
    @SuppressWarnings("unchecked")
    public static Op forEach(StageConsumer<?> a) {
        StageConsumer<Object> action = (StageConsumer<Object>) a;
        return terminal(
                true,
                (stage, run) ->
                        new ItemWorker(stage, null) {
                            @Override
                            boolean onItem(Object item) throws Exception {
                                action.accept(item);
                                return true;
                            }

                            @Override
                            void onEnd() {
                                run.lifecycle.setResult(null);
                            }
                        });
    }

    /** A terminal sending each item to a user's channel (which the caller closes or fails). */
    @SuppressWarnings("unchecked")
    public static Op into(Sender<?> target) {
        Sender<Object> tx = (Sender<Object>) target;
        return terminal(
                false,
                (stage, run) ->
                        new ItemWorker(stage, null) {
                            @Override
                            boolean onItem(Object item) throws InterruptedException {
                                try {
                                    tx.send(item);
                                } catch (ChannelClosedException e) {
                                    throw new ForeignFailure(e);
                                }
                                return true;
                            }

                            @Override
                            void onEnd() {
                                run.lifecycle.setResult(null);
                            }
                        });
    }

    interface TerminalFactory {
        ItemWorker make(StageInfo stage, RunWiring run);
    }

    private static Op terminal(boolean policy, TerminalFactory factory) {
        return new Op() {
            @Override
            boolean acceptsPolicy() {
                return policy;
            }

            @Override
            boolean takesMergedInputs() {
                return true;
            }

            @Override
            boolean readsInputsAlone() {
                return true;
            }

            @Override
            void build(
                    RunWiring run,
                    StageInfo stage,
                    Node node,
                    List<Receiver<Object>> ins,
                    Sender<Object> out) {
                stage.readsAll(ins);
                ItemWorker w = factory.make(stage, run);
                run.spawn(stage, null, true, () -> w.run(ins), ins, List.of());
            }
        };
    }
}
