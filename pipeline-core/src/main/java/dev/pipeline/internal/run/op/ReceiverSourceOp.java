package dev.pipeline.internal.run.op;

import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.ForeignFailure;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code from(Receiver)}: a single-use source draining a user's receiver until its channel is
 * closed and drained, then closing the receiver. A failed channel fails the run as this stage's
 * own failure ({@link ForeignFailure}). Wiring it a second time throws {@link
 * IllegalStateException}. One thread.
 */
public final class ReceiverSourceOp extends Op {
    private final Receiver<Object> rx;
    private final AtomicBoolean used = new AtomicBoolean();

    private ReceiverSourceOp(Receiver<Object> rx) {
        this.rx = rx;
    }

    /**
     * {@code from(Receiver)}.
     *
     * @param rx the receiver, owned by the stage from now on
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(Receiver<?> rx) {
        return new ReceiverSourceOp((Receiver<Object>) rx);
    }

    @Override
    protected void build(StageContext ctx) {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "a pipeline from a receiver runs once; receiver of '"
                            + rx.channel().name()
                            + "' was already used");
        }
        ctx.stage().takesFrom(rx.channel());
        RunLifecycle run = ctx.run();
        Sender<Object> out = ctx.output();
        ctx.spawn(() -> drain(run, out), List.of(rx), List.of(out));
    }

    private void drain(RunLifecycle run, Sender<Object> out) throws InterruptedException {
        ArrayList<Object> buf = new ArrayList<>(ItemWorker.CHUNK);
        while (true) {
            run.stopIfStopping();
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
