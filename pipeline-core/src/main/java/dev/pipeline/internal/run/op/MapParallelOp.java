package dev.pipeline.internal.run.op;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.WaitPolicy;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.PolicySpec;
import dev.pipeline.internal.run.StageContext;
import dev.pipeline.internal.run.ThreadKind;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code mapParallel}: N workers apply the function, and the results leave in input order.
 *
 * <p>A dispatcher thread groups consecutive items into {@link Slot}s and sends each slot both to
 * the workers (the work channel) and, in input order, to a resequencer thread (the order channel);
 * a worker maps a slot's items and marks it complete; the resequencer waits for each slot in turn
 * and sends its results. The order channel's capacity bounds how far the workers may run ahead of
 * the oldest unfinished group (the reorder window), so memory stays bounded by the window times
 * {@link #MAX_GROUP} items. The idea is the classic ordered work queue of pipelined executors (the
 * "reorder buffer" of out-of-order CPUs).
 *
 * <p>Threads: the dispatcher and resequencer are coordinators, the N mappers the stage's workers.
 * The function runs on the mappers under the stage's error policy; an item it skips or
 * dead-letters leaves no result.
 */
public final class MapParallelOp extends ParallelOp {
    /** The most items in one group. */
    static final int MAX_GROUP = 32;

    private final StageFunction<Object, Object> fn;

    private MapParallelOp(int workers, StageFunction<Object, Object> fn) {
        super(workers);
        this.fn = fn;
    }

    /**
     * {@code mapParallel}.
     *
     * @param workers threads, at least 1
     * @param fn the function
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(int workers, StageFunction<?, ?> fn) {
        return new MapParallelOp(workers, (StageFunction<Object, Object>) fn);
    }

    @Override
    protected void build(StageContext ctx) {
        Receiver<Object> in = ctx.input();
        // the reorder window, in groups: how far workers may run ahead of the oldest unfinished
        // group; memory stays bounded by window * MAX_GROUP items
        int window = Math.max(4 * workers, 16);
        Channel<Object> work = ctx.channel(".work", Math.max(2 * workers, 16));
        Channel<Object> order = ctx.channel(".order", window);
        ctx.stage().takesFrom(in.channel());
        ctx.stage().waitsOn(work);
        spawnDispatcher(ctx, in, order.sender(), work.sender());
        spawnMappers(ctx, work.receiver());
        spawnResequencer(ctx, order.receiver());
    }

    /** Step 1: the dispatcher groups the input into slots, sent to the order and work channels. */
    private void spawnDispatcher(
            StageContext ctx, Receiver<Object> in, Sender<Object> orderTx, Sender<Object> workTx) {
        Dispatcher dispatcher = new Dispatcher(ctx, workers, orderTx, workTx);
        ctx.spawn(
                "dispatch",
                ThreadKind.COORDINATOR,
                () -> dispatcher.run(in),
                List.of(in),
                List.of(orderTx, workTx));
    }

    /** Step 2: N mappers, sharing the work channel, map each slot they take and complete it. */
    private void spawnMappers(StageContext ctx, Receiver<Object> workRx) {
        List<Receiver<Object>> rxs = StageContext.copies(workRx, workers);
        for (int i = 0; i < workers; i++) {
            Receiver<Object> rx = rxs.get(i);
            Mapper mapper = new Mapper(ctx, fn);
            ctx.spawn(
                    Integer.toString(i),
                    ThreadKind.WORKER,
                    () -> new SlotRunner(ctx, mapper).runOneByOne(rx),
                    List.of(rx),
                    List.of());
        }
    }

    /** Step 3: the resequencer sends each slot's results, in slot order, to the stage's output. */
    private static void spawnResequencer(StageContext ctx, Receiver<Object> orderRx) {
        Sender<Object> out = ctx.output();
        Resequencer resequencer = new Resequencer(ctx, out);
        ctx.spawn(
                "order",
                ThreadKind.COORDINATOR,
                () -> resequencer.run(orderRx),
                List.of(orderRx),
                List.of(out));
    }

    /**
     * A group of consecutive items in flight: one mapper maps them all, then the resequencer emits
     * their results in order. Grouping amortises the hand-offs (dispatch, work queue, completion,
     * resequencing) over the group. Written by one mapper, then read by the resequencer after
     * {@link #await} sees {@code done} (a volatile write after the results: happens-before).
     */
    static final class Slot {
        static final Object SKIPPED = new Object();

        final Object[] items;
        final Object[] results;
        private volatile boolean done;
        private volatile Thread waiter;

        Slot(Object[] items) {
            this.items = items;
            this.results = new Object[items.length];
        }

        /** Marks the group mapped; items without a result (skipped, dead-lettered) are skipped. */
        void complete() {
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null) {
                    results[i] = SKIPPED;
                }
            }
            done = true;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        /**
         * Waits until the group is mapped: spins and yields first like a channel wait (a worker
         * usually finishes soon, and parking costs a system call on each side), then parks.
         */
        void await() throws InterruptedException {
            WaitPolicy wait = WaitPolicy.begin();
            while (!done) {
                if (wait.pause()) {
                    continue;
                }
                waiter = Thread.currentThread();
                if (!done) {
                    wait.park(this);
                }
            }
        }
    }

    /**
     * Groups what one claim on the input returned: up to {@link #MAX_GROUP} consecutive items, and
     * at least two groups per worker, so that a burst is shared by every worker and a trickle still
     * goes out one item at a time. Each slot goes to the order channel first, then the work channel.
     */
    private static final class Dispatcher extends ItemWorker {
        private final int workers;
        private final Sender<Object> orderTx;
        private final Sender<Object> workTx;
        private Object[] group;
        private int size;
        private int per;

        Dispatcher(StageContext ctx, int workers, Sender<Object> orderTx, Sender<Object> workTx) {
            super(ctx, null, Tracking.AS_IS);
            this.workers = workers;
            this.orderTx = orderTx;
            this.workTx = workTx;
        }

        @Override
        void onChunk(int k) {
            per = Math.max(1, Math.min(MAX_GROUP, k / (2 * workers)));
        }

        @Override
        boolean onItem(Object item) throws InterruptedException {
            if (group == null) {
                group = new Object[per];
            }
            group[size++] = item;
            if (size == group.length) {
                dispatch();
            }
            return true;
        }

        @Override
        void onChunkEnd() throws InterruptedException {
            if (size > 0) {
                dispatch();
            }
        }

        private void dispatch() throws InterruptedException {
            Object[] items = size == group.length ? group : Arrays.copyOf(group, size);
            group = null;
            size = 0;
            Slot slot = new Slot(items);
            orderTx.send(slot);
            workTx.send(slot);
        }
    }

    /**
     * Maps one item of the current slot into its result, applying the stage's error policy
     * ({@link ItemWorker#process}); {@link SlotRunner} walks a slot through it.
     */
    private static final class Mapper extends ItemWorker {
        private final StageFunction<Object, Object> fn;
        Slot slot;
        int index;

        Mapper(StageContext ctx, StageFunction<Object, Object> fn) {
            super(ctx, null);
            this.fn = fn;
        }

        @Override
        boolean onItem(Object item) throws Exception {
            Object r = fn.apply(item);
            if (r == null) {
                throw nullResult();
            }
            slot.results[index] = track(r);
            return true;
        }
    }

    /**
     * A mapper thread's loop: takes one slot at a time from the work channel, maps its items with
     * {@link Mapper}, and completes the slot even when mapping fails (so the resequencer never
     * waits for it forever). Fail-fast itself: the policy is applied per item by the mapper.
     */
    private static final class SlotRunner extends ItemWorker {
        private final Mapper mapper;

        SlotRunner(StageContext ctx, Mapper mapper) {
            super(ctx, null, PolicySpec.failFast(), Tracking.AS_IS);
            this.mapper = mapper;
        }

        @Override
        boolean onItem(Object item) throws Exception {
            Slot slot = (Slot) item;
            Mapper w = mapper;
            w.slot = slot;
            boolean go = true;
            try {
                for (int j = 0; go && j < slot.items.length; j++) {
                    w.index = j;
                    go = w.process(slot.items[j]);
                }
            } finally {
                slot.complete();
            }
            return go;
        }
    }

    /** Waits for each slot in input order and sends its results, skipping the skipped items. */
    private static final class Resequencer extends ItemWorker {
        Resequencer(StageContext ctx, Sender<Object> out) {
            super(ctx, out, Tracking.AS_IS);
        }

        @Override
        boolean onItem(Object item) throws InterruptedException {
            Slot slot = (Slot) item;
            slot.await();
            for (Object r : slot.results) {
                if (r != Slot.SKIPPED) {
                    emit(r);
                }
            }
            return true;
        }
    }
}
