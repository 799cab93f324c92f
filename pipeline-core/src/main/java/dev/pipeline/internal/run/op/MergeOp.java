package dev.pipeline.internal.run.op;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;
import dev.pipeline.internal.run.ThreadKind;

import java.util.List;

/**
 * {@code merge}: many sources, one stream. When the next stage {@linkplain Op#takesMergedInputs
 * reads several inputs as one} it takes the sources' channels itself and this stage runs no thread
 * ({@code RunWiring} wires it so); otherwise one forwarding thread per source ({@link #forward},
 * which the fan-out stage uses to merge its branches too).
 */
public final class MergeOp extends Op {
    private final int inputs;

    private MergeOp(int inputs) {
        this.inputs = inputs;
    }

    /**
     * {@code merge}.
     *
     * @param inputs the number of sources
     * @return the stage
     */
    public static Op of(int inputs) {
        return new MergeOp(inputs);
    }

    @Override
    protected boolean isMerge() {
        return true;
    }

    @Override
    protected int workers() {
        return inputs;
    }

    @Override
    protected void build(StageContext ctx) {
        forward(ctx, ctx.inputs(), ctx.output());
    }

    /**
     * Spawns one worker thread per receiver of {@code ins}, forwarding its items to (a copy of)
     * {@code out}; the output closes when every one has ended.
     */
    static void forward(StageContext ctx, List<Receiver<Object>> ins, Sender<Object> out) {
        List<Sender<Object>> outs = StageContext.copies(out, ins.size());
        for (int i = 0; i < ins.size(); i++) {
            Receiver<Object> in = ctx.stage().reads(ins.get(i));
            Sender<Object> o = outs.get(i);
            ItemWorker w =
                    new ItemWorker(ctx, o, ItemWorker.Tracking.AS_IS) {
                        @Override
                        boolean onItem(Object item) throws InterruptedException {
                            emit(item); // in runs, like every stage (ADR 6)
                            return true;
                        }
                    };
            ctx.spawn(
                    ins.size() == 1 ? null : Integer.toString(i),
                    ThreadKind.WORKER,
                    () -> w.run(in),
                    List.of(in),
                    List.of(o));
        }
    }
}
