package dev.pipeline.internal.run.op;

import dev.pipeline.CustomStage;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

import java.util.List;

/**
 * {@code through}: a user's own receive/send loop ({@link CustomStage}) on the stage's one thread,
 * given the stage's input and output handles; the runtime closes both when the loop returns (or
 * fails the output if it throws).
 */
public final class ThroughOp extends Op {
    private final CustomStage<Object, Object> body;

    private ThroughOp(CustomStage<Object, Object> body) {
        this.body = body;
    }

    /**
     * {@code through}.
     *
     * @param custom the user's loop
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(CustomStage<?, ?> custom) {
        return new ThroughOp((CustomStage<Object, Object>) custom);
    }

    @Override
    protected void build(StageContext ctx) {
        Receiver<Object> in = ctx.stage().reads(ctx.input());
        Sender<Object> out = ctx.output();
        ctx.spawn(() -> body.run(in, out), List.of(in), List.of(out));
    }
}
