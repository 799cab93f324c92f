package dev.pipeline.internal.run.op;

import dev.pipeline.DeadLetter;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.channel.Engine;
import dev.pipeline.internal.run.ForeignFailure;
import dev.pipeline.internal.run.PolicySpec;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;
import dev.pipeline.internal.run.StageInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The loop of a stage that handles items one at a time: takes every ready item with one claim on
 * the input channel ({@link Engine.Input#receiveBatch}), hands each to {@link #onItem}, and
 * applies the stage's error policy to exceptions of the user's function.
 *
 * <p>Outputs given to {@link #emit} are buffered and published with one claim on the output
 * channel ({@link Engine.Output#sendBatch}) when the buffer is full, when the next stage is parked
 * waiting for items (so a starving consumer never waits for a buffer to fill), and always before
 * this stage waits for input or ends (so nothing is held while this stage is idle). Items still
 * occupy one channel slot each: capacity, counters and order are those of single sends.
 *
 * <p>The per-item path holds no lock, reads no clock and allocates nothing of its own: the
 * channels count items and blocked time for the metrics. The worker's two arrays (items taken,
 * outputs buffered) are cleared only when the stage is about to wait for input, not after every
 * run, so that a waiting stage keeps no item reachable without paying a store per item on the way
 * (ADR 10).
 *
 * <p>Threading: a worker is made while the run is wired and then used by the one stage thread that
 * runs it; it is not thread-safe. A subclass is one operator's per-item behaviour ({@link MapOp},
 * {@link FilterOp}, ...); {@link ItemOp} spawns it.
 */
abstract class ItemWorker {
    /** Items taken per chunk at most ({@code -Dpipeline.stage.chunk}). */
    static final int CHUNK = Integer.getInteger("pipeline.stage.chunk", 256);

    /**
     * Outputs held at most before they are published. A fast function that then blocks (an
     * occasional I/O call, say) holds at most this many minus one while it blocks ({@code
     * -Dpipeline.stage.pending}).
     */
    static final int PENDING = Integer.getInteger("pipeline.stage.pending", 64);

    final String stageName;

    /** The stage's runtime record: its dead-letter waits are counted there. */
    private final StageInfo info;

    final PolicySpec policy;

    /** The stage's run: whether it is stopping, and which closure signals are its own. */
    private final RunLifecycle run;

    final Sender<Object> out;

    /** Outputs not yet published; null for a stage without an output. */
    private final Object[] pending;

    /** {@link #out} for chunked sends (see {@link #emit}); null without output. */
    private final Engine.Output output;

    private int pendingCount;

    /**
     * Items taken per chunk: {@link #CHUNK}, or 1 for workers sharing one input, so that a worker
     * never sits on items another idle worker could handle.
     */
    int chunk = CHUNK;

    /**
     * How a worker treats the tracked items of a pipeline fed by a tracked source (ADR 19), which
     * travel in {@link Envelope}s.
     */
    enum Tracking {
        /**
         * The worker calls user code on each item: it hands the code the item's value, wraps each
         * output with the item's token ({@link #emit}, {@link #track}) and releases the item's own
         * reference once the item is handled (so an item that produced nothing is done there).
         */
        UNWRAP,
        /**
         * The worker moves items without looking into them (a merge, {@code take}, a router):
         * envelopes pass on as they are; one that the worker drops it releases itself.
         */
        AS_IS
    }

    /** Whether {@link #process} unwraps envelopes (see {@link Tracking#UNWRAP}). */
    private final boolean unwrap;

    /** The token of the item being handled, while {@link #process} handles a tracked one. */
    private Token current;

    /**
     * A worker of {@code ctx}'s stage under the stage's error policy, calling user code on the
     * items ({@link Tracking#UNWRAP}).
     *
     * @param out where {@link #emit} sends, or null for a worker without an output
     */
    ItemWorker(StageContext ctx, Sender<Object> out) {
        this(ctx, out, ctx.policy(), Tracking.UNWRAP);
    }

    /** A worker passing items on {@link Tracking#AS_IS}, under the stage's policy. */
    ItemWorker(StageContext ctx, Sender<Object> out, Tracking tracking) {
        this(ctx, out, ctx.policy(), tracking);
    }

    /**
     * A worker under {@code policy} instead of the stage's (a coordinator's: fail-fast).
     *
     * @param tracking how it treats tracked items; {@link Tracking#UNWRAP} only matters when a
     *     tracked source feeds the stage
     */
    ItemWorker(StageContext ctx, Sender<Object> out, PolicySpec policy, Tracking tracking) {
        this.stageName = ctx.name();
        this.run = ctx.run();
        this.info = ctx.stage();
        this.policy = policy;
        this.out = out;
        this.pending = out == null ? null : new Object[PENDING];
        this.output = out == null ? null : Engine.output(out);
        this.unwrap = tracking == Tracking.UNWRAP && ctx.tracked();
    }

    /**
     * Handles one item.
     *
     * @return false to stop the stage now (its input is then closed, cancelling upstream)
     */
    abstract boolean onItem(Object item) throws Exception;

    /**
     * Handles the {@code k} items taken with one claim, in order: by default each through {@link
     * #process} (the error policy applies per item). A worker may handle a run in one loop of its
     * own (a reduction keeps its accumulator in a local), with the same outcome.
     *
     * @return false to stop the stage now (its input is then closed, cancelling upstream)
     */
    boolean onItems(Object[] items, int k) throws Exception {
        return onItemsOneByOne(items, k);
    }

    /**
     * Each item through {@link #process}: the default {@link #onItems}, and the loop used for
     * tracked items whatever a worker's own {@code onItems} does (their token must be set around
     * the user's code, which a worker's own loop would skip).
     */
    private boolean onItemsOneByOne(Object[] items, int k) throws Exception {
        for (int i = 0; i < k; i++) {
            if (!process(items[i])) {
                return false;
            }
        }
        return true;
    }

    /** Called once the input is drained, before the output closes. */
    void onEnd() throws Exception {}

    /** Called before the {@code k} items taken with one claim are handled. */
    void onChunk(int k) throws Exception {}

    /** Called after the items taken with one claim were handled, before the next claim. */
    void onChunkEnd() throws Exception {}

    /** Runs the loop until the input is drained or {@link #onItem} stops it. */
    final void run(Receiver<Object> in) throws Exception {
        loop(Engine.input(in));
    }

    /**
     * Runs the loop over several inputs read as one stream ({@link Engine#input(List)}: a merge taken
     * without a forwarding thread) until all are drained or {@link #onItem} stops it.
     */
    final void run(List<Receiver<Object>> ins) throws Exception {
        loop(Engine.input(ins));
    }

    private void loop(Engine.Input in) throws Exception {
        int max = chunk;
        Object[] buf = new Object[max];
        int handled = 0; // buf[0..handled) still refers to items already handled
        try {
            while (true) {
                flush(); // nothing is held while this stage waits for input
                run.stopIfStopping(); // once per run of items
                int k;
                try {
                    k = in.poll(buf, max);
                    if (k == 0) {
                        // about to wait: keep no handled item reachable meanwhile (clearing here,
                        // not after every run, keeps the stores off the per-item path)
                        Arrays.fill(buf, 0, handled, null);
                        if (pending != null) {
                            Arrays.fill(pending, null);
                        }
                        handled = 0;
                        k = in.receiveBatch(buf, max);
                    }
                } catch (ChannelClosedException e) {
                    if (e.isFailure()) {
                        throw e;
                    }
                    break;
                }
                if (k < 0) {
                    break;
                }
                handled = Math.max(handled, k);
                onChunk(k);
                if (!(unwrap ? onItemsOneByOne(buf, k) : onItems(buf, k))) {
                    flush();
                    return;
                }
                onChunkEnd();
            }
            onEnd();
            flush();
        } catch (InterruptedException e) {
            throw e; // cancelled: nothing to deliver
        } catch (Exception e) {
            if (!run.isSignal(e)) { // else downstream is gone: nothing to deliver
                run.failing(stageName, e, out);
                flushBeforeFailing();
            }
            throw e;
        }
    }

    /**
     * Publishes the outputs of the items handled before a failure, so downstream receives them
     * before it sees the failure; a problem doing so must not hide the failure itself.
     */
    private void flushBeforeFailing() {
        try {
            flush();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // downstream is gone or failed: the failure being reported matters more
        }
    }

    /** Runs the loop taking one item at a time. */
    final void runOneByOne(Receiver<Object> in) throws Exception {
        chunk = 1;
        run(in);
    }

    /**
     * Handles one item under the error policy; a tracked item (see {@link Tracking#UNWRAP}) is
     * handed over as its value, and its own reference given up once it is handled: its outputs
     * hold their own. An item whose handling fails the stage is not released: its fate is unknown.
     */
    final boolean process(Object item) throws Exception {
        if (unwrap && item instanceof Envelope e) {
            return processTracked(e);
        }
        try {
            return onItem(item);
        } catch (Exception e) {
            return handle(item, functionFailure(e));
        }
    }

    private boolean processTracked(Envelope e) throws Exception {
        current = e.token;
        boolean go;
        try {
            try {
                go = onItem(e.value);
            } catch (Exception x) {
                go = handle(e.value, functionFailure(x));
            }
        } finally {
            current = null;
        }
        e.token.release();
        return go;
    }

    /**
     * The token of the tracked item being handled, or null (an untracked item, or an untracked
     * pipeline): a worker that finishes the item later ({@link SinkOp}) takes its own reference.
     */
    final Token currentToken() {
        return current;
    }

    /**
     * {@code result} as it goes on: wrapped with the current item's token, with one more reference
     * for it, when the item is tracked; itself otherwise. For a worker that publishes results other
     * than through {@link #emit}.
     */
    final Object track(Object result) {
        Token t = current;
        return t == null ? result : new Envelope(result, t.acquire());
    }

    /**
     * {@code e} if it is the function's failure; rethrows the run's own signals instead (an
     * interruption, or a closure signal of the run's channels: downstream gone), which no error
     * policy handles.
     */
    private Exception functionFailure(Exception e) throws Exception {
        if (e instanceof InterruptedException || run.isSignal(e)) {
            throw e;
        }
        return e;
    }

    /**
     * Applies the stage's error policy to {@code first}, the exception of the first try on {@code
     * item}: more tries while the policy allows, then fail, skip or send a dead letter. Only {@link
     * Exception}s come here: an {@link Error} of any try propagates at once (never retried, skipped
     * or dead-lettered).
     *
     * @return as {@link #onItem} if a later try succeeded; true if the item was skipped or
     *     dead-lettered
     */
    private boolean handle(Object item, Exception first) throws Exception {
        final PolicySpec p = policy;
        Exception last = first;
        List<Exception> earlier = null; // distinct earlier instances, suppressed in the last one
        int attempt = 1;
        long backoff = p.backoffNanos();
        while (attempt < p.maxAttempts()) {
            TimeUnit.NANOSECONDS.sleep(backoff); // interruptible: a cancelled run ends it
            backoff = PolicySpec.nextBackoff(backoff);
            attempt++;
            try {
                return onItem(item);
            } catch (Exception caught) {
                Exception e = functionFailure(caught);
                if (e != last) {
                    earlier = remember(earlier, last);
                    last = e;
                }
            }
        }
        suppressIn(last, earlier);
        switch (p.exhausted()) {
            case SKIP:
                Envelope.release(item); // a worker passing envelopes as is drops this one
                return true;
            case DEAD_LETTER:
                deadLetter(Envelope.value(item), last, attempt);
                Envelope.release(item);
                return true;
            case FAIL:
            default:
                throw last;
        }
    }

    private static List<Exception> remember(List<Exception> earlier, Exception e) {
        List<Exception> list = earlier == null ? new ArrayList<>(2) : earlier;
        for (Exception x : list) {
            if (x == e) {
                return list;
            }
        }
        list.add(e);
        return list;
    }

    /**
     * Adds each of {@code earlier} to {@code last}'s suppressed exceptions, except {@code last}
     * itself (self-suppression is an error) and those it holds already: a function may throw one
     * instance again and again, or alternate between a few.
     */
    private static void suppressIn(Exception last, List<Exception> earlier) {
        if (earlier == null) {
            return;
        }
        List<Throwable> held = Arrays.asList(last.getSuppressed());
        for (Exception e : earlier) {
            if (e != last && held.stream().noneMatch(h -> h == e)) {
                last.addSuppressed(e);
            }
        }
    }

    /**
     * Sends a dead letter, waiting while the dead-letter channel is full; the time waited, and that
     * the stage is waiting, show in the run's metrics (the channel is the user's, so the stage's own
     * record counts it). A dead-letter channel without receivers fails the run as this stage's own
     * failure, with the item's exception as the cause.
     */
    final void deadLetter(Object item, Exception error, int attempt) throws InterruptedException {
        Sender<Object> sink = policy.sink();
        DeadLetter<Object> letter = new DeadLetter<>(item, error, stageName, attempt);
        try {
            if (sink.trySend(letter) instanceof SendResult.Sent<Object>) {
                return;
            }
            long since = info.deadLetterWaitStarted();
            try {
                sink.send(letter);
            } finally {
                info.deadLetterWaitEnded(since);
            }
        } catch (ChannelClosedException e) {
            throw new ForeignFailure(
                    new IllegalStateException(
                            "dead-letter channel '" + e.channelName() + "' is closed", error));
        }
    }

    /**
     * Hands an output to the next stage: buffered, and published when the buffer is full or the
     * next stage is waiting for items (see the class comment).
     */
    final void emit(Object result) throws InterruptedException {
        final Object[] p = pending;
        p[pendingCount++] = current == null ? result : track(result);
        if (pendingCount == p.length || output.receiverWaiting()) {
            flush();
        }
    }

    /** Publishes the buffered outputs, in order, waiting for room as needed. */
    final void flush() throws InterruptedException {
        int n = pendingCount;
        if (n == 0) {
            return;
        }
        pendingCount = 0;
        output.sendBatch(pending, 0, n); // the slots are cleared before waiting
    }

    /** {@code r}, or the {@link #nullResult} failure if it is null. */
    final Object notNull(Object r) {
        if (r == null) {
            throw nullResult();
        }
        return r;
    }

    final NullPointerException nullResult() {
        return new NullPointerException("stage '" + stageName + "' produced null");
    }
}
