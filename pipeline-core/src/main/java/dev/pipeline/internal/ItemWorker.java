package dev.pipeline.internal;

import dev.pipeline.DeadLetter;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The loop of a stage that handles items one at a time: takes items in chunks (one blocking
 * receive, then a non-blocking drain into a reused buffer), hands each to {@link #onItem}, and
 * applies the stage's error policy to exceptions of the user's function.
 *
 * <p>The per-item path holds no lock, reads no clock and allocates nothing of its own: the
 * channels count items and blocked time for the metrics.
 */
abstract class ItemWorker {
    /** Items taken per chunk. */
    static final int CHUNK = 256;

    final String stageName;
    final PolicySpec policy;
    final Sender<Object> out;

    /**
     * Items taken per chunk: {@link #CHUNK}, or 1 for workers sharing one input, so that a worker
     * never sits on items another idle worker could handle.
     */
    int chunk = CHUNK;

    ItemWorker(StageInfo stage, Sender<Object> out) {
        this(stage, out, stage.policy);
    }

    ItemWorker(StageInfo stage, Sender<Object> out, PolicySpec policy) {
        this.stageName = stage.name;
        this.policy = policy;
        this.out = out;
    }

    /**
     * Handles one item.
     *
     * @return false to stop the stage now (its input is then closed, cancelling upstream)
     */
    abstract boolean onItem(Object item) throws Exception;

    /** Called once the input is drained, before the output closes. */
    void onEnd() throws Exception {}

    /** Runs the loop until the input is drained or {@link #onItem} stops it. */
    final void run(Receiver<Object> in) throws Exception {
        int max = chunk;
        ArrayList<Object> buf = new ArrayList<>(max);
        while (true) {
            Object first;
            try {
                first = in.receive();
            } catch (ChannelClosedException e) {
                if (e.isFailure()) {
                    throw e;
                }
                break;
            }
            buf.add(first);
            if (max > 1) {
                in.drainTo(buf, max - 1);
            }
            for (int i = 0, n = buf.size(); i < n; i++) {
                if (!process(buf.get(i))) {
                    return;
                }
            }
            buf.clear();
        }
        onEnd();
    }

    /** Runs the loop taking one item at a time. */
    final void runOneByOne(Receiver<Object> in) throws Exception {
        chunk = 1;
        run(in);
    }

    final boolean process(Object item) throws Exception {
        try {
            return onItem(item);
        } catch (InterruptedException | ChannelClosedException e) {
            throw e;
        } catch (Exception e) {
            return handle(item, e);
        }
    }

    private boolean handle(Object item, Exception first) throws Exception {
        switch (policy.kind()) {
            case SKIP:
                return true;
            case DEAD_LETTER:
                send(item, first, 1);
                return true;
            case RETRY:
                Exception last = first;
                long backoff = policy.backoffNanos();
                for (int attempt = 2; attempt <= policy.maxAttempts(); attempt++) {
                    TimeUnit.NANOSECONDS.sleep(backoff);
                    backoff = backoff > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : backoff * 2;
                    try {
                        return onItem(item);
                    } catch (InterruptedException | ChannelClosedException e) {
                        throw e;
                    } catch (Exception e) {
                        e.addSuppressed(last);
                        last = e;
                    }
                }
                throw last;
            case FAIL:
            default:
                throw first;
        }
    }

    private void send(Object item, Exception error, int attempt) throws InterruptedException {
        try {
            policy.sink().send(new DeadLetter(item, error, stageName, attempt));
        } catch (ChannelClosedException e) {
            throw new ForeignFailure(
                    new IllegalStateException(
                            "dead-letter channel '" + e.channelName() + "' is closed", error));
        }
    }

    /** Sends a function's result, rejecting null. */
    final void emit(Object result) throws InterruptedException {
        out.send(result);
    }

    final NullPointerException nullResult() {
        return new NullPointerException("stage '" + stageName + "' produced null");
    }
}
