package dev.pipeline.internal.run.op;

import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.ForeignFailure;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

/**
 * Terminal {@code into}: sends each item to a user's channel, one send per item, waiting for room;
 * the caller closes or fails that channel when the run ends. A channel without receivers fails
 * the run as this stage's own failure ({@link ForeignFailure}). One thread.
 */
public final class IntoOp extends ItemOp {
    private final Sender<Object> target;

    private IntoOp(Sender<Object> target) {
        this.target = target;
    }

    /**
     * {@code into}.
     *
     * @param target the user's sender
     * @return the terminal stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(Sender<?> target) {
        return new IntoOp((Sender<Object>) target);
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        RunLifecycle run = ctx.run();
        Sender<Object> tx = target;
        return new ItemWorker(ctx, null) {
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
                run.setResult(null);
            }
        };
    }
}
