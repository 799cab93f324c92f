package dev.pipeline.internal.run.op;

import dev.pipeline.StageFunction;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;
import dev.pipeline.internal.run.ThreadKind;

import java.util.List;

/**
 * {@code mapParallelUnordered}: N worker threads share the input (each item goes to one of them)
 * and the output, each running {@link MapOp}'s worker; results leave as soon as they are ready.
 * Each worker takes one item at a time, so that no worker sits on items another idle one could
 * handle.
 */
public final class MapParallelUnorderedOp extends ParallelOp {
    private final StageFunction<Object, Object> fn;

    private MapParallelUnorderedOp(int workers, StageFunction<Object, Object> fn) {
        super(workers);
        this.fn = fn;
    }

    /**
     * {@code mapParallelUnordered}.
     *
     * @param workers threads, at least 1
     * @param fn the function
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(int workers, StageFunction<?, ?> fn) {
        return new MapParallelUnorderedOp(workers, (StageFunction<Object, Object>) fn);
    }

    @Override
    protected void build(StageContext ctx) {
        Receiver<Object> in = ctx.stage().reads(ctx.input());
        List<Receiver<Object>> rxs = StageContext.copies(in, workers);
        List<Sender<Object>> outs = StageContext.copies(ctx.output(), workers);
        for (int i = 0; i < workers; i++) {
            Receiver<Object> rx = rxs.get(i);
            Sender<Object> tx = outs.get(i);
            ItemWorker w = MapOp.worker(ctx, tx, fn);
            w.chunk = 1;
            ctx.spawn(
                    Integer.toString(i),
                    ThreadKind.WORKER,
                    () -> w.run(rx),
                    List.of(rx),
                    List.of(tx));
        }
    }
}
