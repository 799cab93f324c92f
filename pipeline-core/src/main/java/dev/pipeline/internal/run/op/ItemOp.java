package dev.pipeline.internal.run.op;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

import java.util.List;

/**
 * The base of a one-thread stage that handles items one at a time, a transform or a terminal: a
 * subclass only says how to make its {@link ItemWorker} ({@link #worker}); this class spawns the
 * stage's one thread, which runs the worker's loop over all the stage's inputs as one stream (a
 * {@code merge} before it is taken directly, with no forwarding thread) and closes the output at
 * the end. {@link MapOp} is the model to follow.
 *
 * <p>Threading: {@link #build} runs on the wiring thread; the worker then runs on the stage's
 * thread only.
 */
abstract class ItemOp extends Op {

    /**
     * Makes the stage's worker for one run.
     *
     * @param ctx the stage in the run
     * @return a worker sending to {@code ctx.output()} (null for a terminal)
     */
    abstract ItemWorker worker(StageContext ctx);

    @Override
    protected final boolean takesMergedInputs() {
        return true;
    }

    @Override
    protected final boolean readsInputsAlone() {
        return true;
    }

    @Override
    protected final boolean writesOutputAlone() {
        return true; // the user's function returns results, it never sees the sender
    }

    @Override
    protected final void build(StageContext ctx) {
        List<Receiver<Object>> ins = ctx.inputs();
        ctx.stage().readsAll(ins);
        ItemWorker worker = worker(ctx);
        Sender<Object> out = ctx.output();
        ctx.spawn(() -> worker.run(ins), ins, out == null ? List.of() : List.of(out));
    }
}
