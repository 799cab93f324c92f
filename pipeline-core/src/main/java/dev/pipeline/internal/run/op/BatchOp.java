package dev.pipeline.internal.run.op;

import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Engine;
import dev.pipeline.internal.channel.RunChannelClosedException;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code batch(size)} and {@code batch(size, maxWait)}: a batch leaves when it holds {@code size}
 * items, or {@code maxWait} after its first item arrived, whichever comes first; the last partial
 * batch leaves when the input closes. Each batch is a fresh unmodifiable-by-contract {@code
 * ArrayList} the stage never touches again. One thread, reading its input alone. A batch of tracked
 * items is one tracked item, done when it is (its members are done with it).
 */
public final class BatchOp extends Op {
    private final int size;

    /** The longest a batch waits after its first item; negative: no limit ({@link #bySize}). */
    private final long maxWaitNanos;

    private BatchOp(int size, long maxWaitNanos) {
        this.size = size;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * {@code batch(size)}: a batch leaves when it is full (or the input closes).
     *
     * @param size items per batch, at least 1
     * @return the stage
     */
    public static Op bySize(int size) {
        return new BatchOp(size, -1);
    }

    /**
     * {@code batch(size, maxWait)}: a batch leaves when it is full or {@code maxWaitNanos} after
     * its first item.
     *
     * @param size items per batch, at least 1
     * @param maxWaitNanos the longest wait, positive, saturated
     * @return the stage
     */
    public static Op bySizeOrTime(int size, long maxWaitNanos) {
        return new BatchOp(size, maxWaitNanos);
    }

    @Override
    protected boolean readsInputsAlone() {
        return true;
    }

    @Override
    protected boolean writesOutputAlone() {
        return true;
    }

    @Override
    protected void build(StageContext ctx) {
        Receiver<Object> in = ctx.stage().reads(ctx.input());
        Sender<Object> out = ctx.output();
        RunLifecycle run = ctx.run();
        boolean tracked = ctx.tracked();
        ctx.spawn(() -> loop(run, in, out, tracked), List.of(in), List.of(out));
    }

    /**
     * The stage's loop. A {@code maxWaitNanos} of {@link Long#MAX_VALUE} (a saturated huge
     * duration) waits as long as it takes: the time left is counted down from the batch's start,
     * never added to the clock, so no duration overflows.
     */
    private void loop(RunLifecycle run, Receiver<Object> in, Sender<Object> out, boolean tracked)
            throws InterruptedException {
        Object[] chunk = new Object[Math.min(size, ItemWorker.CHUNK)]; // reused: no array per take
        Engine.Input input = Engine.input(in);
        while (true) {
            run.stopIfStopping();
            List<Object> batch = new ArrayList<>(Math.min(size, 1024));
            try {
                batch.add(in.receive());
            } catch (ChannelClosedException e) {
                if (e.isFailure()) {
                    throw e;
                }
                return;
            }
            long firstAt = System.nanoTime();
            boolean closed = false;
            while (batch.size() < size) {
                int k = input.poll(chunk, Math.min(chunk.length, size - batch.size()));
                if (k > 0) {
                    for (int i = 0; i < k; i++) {
                        batch.add(chunk[i]);
                    }
                    Arrays.fill(chunk, 0, k, null); // nothing kept alive while waiting
                    continue;
                }
                ReceiveResult<Object> r;
                if (maxWaitNanos < 0) {
                    r = receiveOrClosed(in);
                } else {
                    long left = maxWaitNanos - (System.nanoTime() - firstAt);
                    if (left <= 0) {
                        break;
                    }
                    r = in.receive(Duration.ofNanos(left));
                }
                if (r instanceof ReceiveResult.Received<Object> got) {
                    batch.add(got.value());
                } else if (r instanceof ReceiveResult.Closed<Object> c) {
                    if (c.cause() != null) {
                        // upstream failed (recorded there): pass the failure on as the run's own
                        throw new RunChannelClosedException(
                                "input failed", in.channel().name(), null, c.cause(), run);
                    }
                    closed = true;
                    break;
                } else {
                    break; // timed out: the batch leaves partial
                }
            }
            // a batch of tracked items is done when every item in it is (ADR 19)
            out.send(tracked ? Envelope.batch(batch) : batch);
            if (closed) {
                return;
            }
        }
    }

    private static ReceiveResult<Object> receiveOrClosed(Receiver<Object> in)
            throws InterruptedException {
        try {
            return new ReceiveResult.Received<>(in.receive());
        } catch (ChannelClosedException e) {
            return new ReceiveResult.Closed<>(e.getCause());
        }
    }
}
