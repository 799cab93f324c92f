package dev.pipeline.internal.run;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.WaitPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The parallel maps.
 *
 * <ul>
 *   <li>Unordered: N workers share the input (each item goes to one of them) and the output.
 *   <li>Ordered: a dispatcher wraps each item in a {@link Slot} and sends it both to the workers
 *       (work channel) and, in input order, to a resequencer (order channel); the resequencer waits
 *       for each slot in turn and sends its result. The order channel's capacity bounds how far the
 *       workers may run ahead of the oldest unfinished item (the reorder window), so memory stays
 *       bounded; the idea is the classic ordered work-queue of pipelined executors (for example,
 *       the "reorder buffer" of out-of-order CPUs).
 *   <li>By key: a dispatcher sends each item to worker {@code hash(key) mod N} through a lane of
 *       its own, so items with one key are handled in order by one worker.
 * </ul>
 */
final class ParallelStages {
    private ParallelStages() {}

    /** A stage of {@code workers} threads calling a user function per item. */
    private abstract static class ParallelOp extends Op {
        private final int workers;

        ParallelOp(int workers) {
            this.workers = workers;
        }

        @Override
        final boolean acceptsPolicy() {
            return true;
        }

        @Override
        final int workers() {
            return workers;
        }
    }

    static Op unordered(int workers, StageFunction<Object, Object> fn) {
        return new ParallelOp(workers) {

            @Override
            void build(
                    RunWiring run,
                    StageInfo stage,
                    Node node,
                    List<Receiver<Object>> ins,
                    Sender<Object> out) {
                Receiver<Object> in = stage.reads(ins.get(0));
                List<Receiver<Object>> rxs = Stages.copies(in, workers);
                List<Sender<Object>> outs = Stages.copies(out, workers);
                for (int i = 0; i < workers; i++) {
                    Receiver<Object> rx = rxs.get(i);
                    Sender<Object> tx = outs.get(i);
                    ItemWorker w = Stages.mapWorker(stage, tx, fn);
                    w.chunk = 1;
                    run.spawn(
                            stage,
                            Integer.toString(i),
                            true,
                            () -> w.run(rx),
                            List.of(rx),
                            List.of(tx));
                }
            }
        };
    }

    /**
     * A group of consecutive items in flight in an order-keeping parallel map: one worker maps them
     * all, then the resequencer emits their results in order. Grouping amortises the hand-offs
     * (dispatch, work queue, completion, resequencing) over the group.
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

    /** The most items in one group of an order-keeping parallel map. */
    static final int MAX_GROUP = 32;

    static Op ordered(int workers, StageFunction<Object, Object> fn) {
        return new ParallelOp(workers) {

            @Override
            void build(
                    RunWiring run,
                    StageInfo stage,
                    Node node,
                    List<Receiver<Object>> ins,
                    Sender<Object> out) {
                Receiver<Object> in = ins.get(0);
                // the reorder window, in groups: how far workers may run ahead of the oldest
                // unfinished group; memory stays bounded by window * MAX_GROUP items
                int window = Math.max(4 * workers, 16);
                Channel<Object> work = run.channel(stage.name + ".work", Math.max(2 * workers, 16));
                Channel<Object> order = run.channel(stage.name + ".order", window);
                stage.inputs.add(in.channel());
                stage.waitChannels.add(work);
                Sender<Object> workTx = work.sender();
                Sender<Object> orderTx = order.sender();
                Receiver<Object> orderRx = order.receiver();
                // The dispatcher groups what one claim on the input returned: up to MAX_GROUP
                // consecutive items, and at least two groups per worker, so that a burst is shared
                // by every worker and a trickle still goes out one item at a time.
                ItemWorker dispatcher =
                        new ItemWorker(stage, null) {
                            private Object[] group;
                            private int size;
                            private int per;

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
                                Object[] items =
                                        size == group.length
                                                ? group
                                                : java.util.Arrays.copyOf(group, size);
                                group = null;
                                size = 0;
                                Slot slot = new Slot(items);
                                orderTx.send(slot);
                                workTx.send(slot);
                            }
                        };
                run.spawn(
                        stage,
                        "dispatch",
                        false,
                        () -> dispatcher.run(in),
                        List.of(in),
                        List.of(orderTx, workTx));
                List<Receiver<Object>> workRx = Stages.copies(work.receiver(), workers);
                for (int i = 0; i < workers; i++) {
                    Receiver<Object> rx = workRx.get(i);
                    // maps one item, applying the stage's error policy; the driver below walks a
                    // group through it
                    final class Mapper extends ItemWorker {
                        Slot slot;
                        int index;

                        Mapper() {
                            super(stage, null);
                        }

                        @Override
                        boolean onItem(Object item) throws Exception {
                            Object r = fn.apply(item);
                            if (r == null) {
                                throw nullResult();
                            }
                            slot.results[index] = r;
                            return true;
                        }
                    }
                    Mapper w = new Mapper();
                    run.spawn(
                            stage,
                            Integer.toString(i),
                            true,
                            () ->
                                    new ItemWorker(stage, null, PolicySpec.failFast()) {
                                        @Override
                                        boolean onItem(Object item) throws Exception {
                                            Slot slot = (Slot) item;
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
                                    }.runOneByOne(rx),
                            List.of(rx),
                            List.of());
                }
                ItemWorker resequencer =
                        new ItemWorker(stage, out) {
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
                        };
                run.spawn(
                        stage,
                        "order",
                        false,
                        () -> resequencer.run(orderRx),
                        List.of(orderRx),
                        List.of(out));
            }
        };
    }

    static Op byKey(
            int workers, StageFunction<Object, Object> key, StageFunction<Object, Object> fn) {
        return new ParallelOp(workers) {

            @Override
            void build(
                    RunWiring run,
                    StageInfo stage,
                    Node node,
                    List<Receiver<Object>> ins,
                    Sender<Object> out) {
                Receiver<Object> in = ins.get(0);
                stage.inputs.add(in.channel());
                int laneCapacity = Math.max(16, node.capacity / workers);
                List<Sender<Object>> lanes = new ArrayList<>();
                List<Receiver<Object>> laneRx = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    Channel<Object> lane = run.channel(stage.name + ".lane-" + i, laneCapacity);
                    stage.waitChannels.add(lane);
                    lanes.add(lane.sender());
                    laneRx.add(lane.receiver());
                }
                ItemWorker dispatcher =
                        new ItemWorker(stage, null) {
                            @Override
                            boolean onItem(Object item) throws Exception {
                                Object k = key.apply(item);
                                lanes.get(Math.floorMod(Objects.hashCode(k), workers)).send(item);
                                return true;
                            }
                        };
                run.spawn(stage, "dispatch", false, () -> dispatcher.run(in), List.of(in), lanes);
                List<Sender<Object>> outs = Stages.copies(out, workers);
                for (int i = 0; i < workers; i++) {
                    Receiver<Object> rx = laneRx.get(i);
                    Sender<Object> tx = outs.get(i);
                    ItemWorker w = Stages.mapWorker(stage, tx, fn);
                    run.spawn(
                            stage,
                            Integer.toString(i),
                            true,
                            () -> w.run(rx),
                            List.of(rx),
                            List.of(tx));
                }
            }
        };
    }
}
