package dev.pipeline.internal;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

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

    static Op unordered(int workers, StageFunction<Object, Object> fn) {
        return new Op() {
            @Override
            boolean acceptsPolicy() {
                return true;
            }

            @Override
            int workers() {
                return workers;
            }

            @Override
            void build(RunState run, StageInfo stage, Node node, Sender<Object> out) {
                Receiver<Object> in = run.wire(node.inputs.get(0));
                stage.inputs.add(in.channel());
                stage.waitChannels.add(in.channel());
                List<Receiver<Object>> ins = Stages.copies(in, workers);
                List<Sender<Object>> outs = Stages.copies(out, workers);
                for (int i = 0; i < workers; i++) {
                    Receiver<Object> rx = ins.get(i);
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

    /** An item in flight in an order-keeping parallel map. */
    static final class Slot {
        static final Object SKIPPED = new Object();

        final Object item;
        private volatile Object value;
        private volatile Thread waiter;

        Slot(Object item) {
            this.item = item;
        }

        void complete(Object v) {
            value = v;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        boolean isComplete() {
            return value != null;
        }

        Object await() throws InterruptedException {
            Object v;
            while ((v = value) == null) {
                waiter = Thread.currentThread();
                if (value == null) {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return v;
        }
    }

    static Op ordered(int workers, StageFunction<Object, Object> fn) {
        return new Op() {
            @Override
            boolean acceptsPolicy() {
                return true;
            }

            @Override
            int workers() {
                return workers;
            }

            @Override
            void build(RunState run, StageInfo stage, Node node, Sender<Object> out) {
                Receiver<Object> in = run.wire(node.inputs.get(0));
                int window = Math.max(4 * workers, 64);
                Channel<Object> work = run.channel(stage.name + ".work", Math.max(2 * workers, 16));
                Channel<Object> order = run.channel(stage.name + ".order", window);
                stage.inputs.add(in.channel());
                stage.waitChannels.add(work);
                Sender<Object> workTx = work.sender();
                Sender<Object> orderTx = order.sender();
                Receiver<Object> orderRx = order.receiver();
                ItemWorker dispatcher =
                        new ItemWorker(stage, orderTx) {
                            @Override
                            boolean onItem(Object item) throws InterruptedException {
                                Slot slot = new Slot(item);
                                orderTx.send(slot);
                                workTx.send(slot);
                                return true;
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
                    ItemWorker w =
                            new ItemWorker(stage, null) {
                                @Override
                                boolean onItem(Object item) throws Exception {
                                    Slot slot = (Slot) item;
                                    Object r = fn.apply(slot.item);
                                    if (r == null) {
                                        throw nullResult();
                                    }
                                    slot.complete(r);
                                    return true;
                                }
                            };
                    run.spawn(
                            stage,
                            Integer.toString(i),
                            true,
                            () ->
                                    new ItemWorker(stage, null, PolicySpec.failFast()) {
                                        @Override
                                        boolean onItem(Object item) throws Exception {
                                            Slot slot = (Slot) item;
                                            boolean go = w.process(slot);
                                            if (!slot.isComplete()) {
                                                slot.complete(
                                                        Slot.SKIPPED); // skipped, dead-lettered
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
                                Object r = ((Slot) item).await();
                                if (r != Slot.SKIPPED) {
                                    out.send(r);
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
        return new Op() {
            @Override
            boolean acceptsPolicy() {
                return true;
            }

            @Override
            int workers() {
                return workers;
            }

            @Override
            void build(RunState run, StageInfo stage, Node node, Sender<Object> out) {
                Receiver<Object> in = run.wire(node.inputs.get(0));
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
