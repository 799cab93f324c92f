package dev.pipeline.internal.run.op;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;
import dev.pipeline.internal.run.ThreadKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code mapParallelByKey}: a dispatcher thread sends each item to worker {@code hash(key) mod N}
 * through a lane (channel) of its own, so items with one key are handled in order by one worker;
 * the workers run {@link MapOp}'s worker and share the output. The key function runs on the
 * dispatcher, the mapping function on the workers, each under the stage's error policy.
 */
public final class MapParallelByKeyOp extends ParallelOp {
    private final StageFunction<Object, Object> key;
    private final StageFunction<Object, Object> fn;

    private MapParallelByKeyOp(
            int workers, StageFunction<Object, Object> key, StageFunction<Object, Object> fn) {
        super(workers);
        this.key = key;
        this.fn = fn;
    }

    /**
     * {@code mapParallelByKey}.
     *
     * @param workers threads, at least 1
     * @param key the key of an item
     * @param fn the function
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(int workers, StageFunction<?, ?> key, StageFunction<?, ?> fn) {
        return new MapParallelByKeyOp(
                workers, (StageFunction<Object, Object>) key, (StageFunction<Object, Object>) fn);
    }

    @Override
    protected void build(StageContext ctx) {
        Receiver<Object> in = ctx.input();
        ctx.stage().takesFrom(in.channel());
        int laneCapacity = Math.max(16, ctx.capacity() / workers);
        List<Sender<Object>> lanes = new ArrayList<>();
        List<Receiver<Object>> laneRx = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Channel<Object> lane = ctx.channel(".lane-" + i, laneCapacity);
            ctx.stage().waitsOn(lane);
            lanes.add(lane.sender());
            laneRx.add(lane.receiver());
        }
        int workers = this.workers;
        ItemWorker dispatcher =
                new ItemWorker(ctx, null, ItemWorker.Tracking.AS_IS) {
                    @Override
                    boolean onItem(Object item) throws Exception {
                        Object k = key.apply(Envelope.value(item)); // the item goes on as is
                        lanes.get(Math.floorMod(Objects.hashCode(k), workers)).send(item);
                        return true;
                    }
                };
        ctx.spawn("dispatch", ThreadKind.COORDINATOR, () -> dispatcher.run(in), List.of(in), lanes);
        List<Sender<Object>> outs = StageContext.copies(ctx.output(), workers);
        for (int i = 0; i < workers; i++) {
            Receiver<Object> rx = laneRx.get(i);
            Sender<Object> tx = outs.get(i);
            ItemWorker w = MapOp.worker(ctx, tx, fn);
            ctx.spawn(
                    Integer.toString(i),
                    ThreadKind.WORKER,
                    () -> w.run(rx),
                    List.of(rx),
                    List.of(tx));
        }
    }
}
