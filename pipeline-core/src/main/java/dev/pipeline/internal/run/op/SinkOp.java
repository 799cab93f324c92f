package dev.pipeline.internal.run.op;

import static java.util.Objects.requireNonNull;

import dev.pipeline.Sink;
import dev.pipeline.channel.Receiver;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Terminal {@code drainTo(sink)}: opens the sink's writer on the terminal's one thread, writes each
 * item with an acknowledgement, and at the end flushes and closes the writer (closes it also when
 * the run fails or is cancelled). The run's result is null.
 *
 * <p>An item is done when its acknowledgement says so, on whatever thread that happens: the
 * acknowledgement holds its own reference to a tracked item's token (ADR 19), so a tracked source
 * learns that its item is done only once the sink's write is durable. A write that throws goes
 * through the stage's error policy like a {@code forEach} action; a write that fails later ({@link
 * Sink.Ack#failed}) is not retried (asynchronous clients retry themselves): under a policy that
 * fails it fails the run at once, under one that skips the item completes at once, both on the
 * acknowledging thread; a dead letter is sent by the terminal's thread before its next write or
 * after the flush.
 */
public final class SinkOp extends Op {
    private final Sink<Object> sink;

    private SinkOp(Sink<Object> sink) {
        this.sink = sink;
    }

    /**
     * {@code drainTo}.
     *
     * @param sink the user's sink
     * @return the terminal stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(Sink<?> sink) {
        return new SinkOp((Sink<Object>) sink);
    }

    @Override
    protected boolean acceptsPolicy() {
        return true;
    }

    @Override
    protected boolean readsInputsAlone() {
        return true;
    }

    @Override
    protected void build(StageContext ctx) {
        List<Receiver<Object>> ins = ctx.inputs();
        ctx.stage().readsAll(ins);
        Sink<Object> sink = this.sink;
        ctx.spawn(
                () -> {
                    Sink.Writer<Object> writer =
                            requireNonNull(sink.open(), "the writer the sink opened");
                    Throwable failure = null;
                    try {
                        new Writing(ctx, writer).run(ins);
                    } catch (Throwable t) {
                        failure = t;
                        throw t;
                    } finally {
                        close(writer, failure);
                    }
                },
                ins,
                List.of());
    }

    /**
     * Closes {@code writer}; if the run is ending with {@code failure}, a problem closing is
     * suppressed in it rather than hiding it.
     */
    private static void close(Sink.Writer<Object> writer, Throwable failure) throws Exception {
        if (failure == null) {
            writer.close();
            return;
        }
        try {
            writer.close();
        } catch (Exception e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }

    /** The terminal's worker: writes each item, handles the failures acknowledged meanwhile. */
    private static final class Writing extends ItemWorker {
        private final Sink.Writer<Object> writer;
        private final RunLifecycle run;

        /** Acknowledged failures, for the terminal's thread to handle under the policy. */
        private final Queue<ItemAck> failed = new ConcurrentLinkedQueue<>();

        Writing(StageContext ctx, Sink.Writer<Object> writer) {
            super(ctx, null);
            this.writer = writer;
            this.run = ctx.run();
        }

        @Override
        boolean onItem(Object item) throws Exception {
            handleFailures();
            Token t = currentToken();
            ItemAck ack = new ItemAck(this, item, t == null ? null : t.acquire());
            try {
                writer.write(item, ack);
            } catch (Exception e) {
                ack.abandon(); // the policy handles the item now: this acknowledgement is void
                throw e;
            }
            return true;
        }

        @Override
        void onEnd() throws Exception {
            writer.flush();
            handleFailures();
            run.setResult(null);
        }

        /** Applies the policy to each write acknowledged as failed so far. */
        private void handleFailures() throws Exception {
            ItemAck a;
            while ((a = failed.poll()) != null) {
                switch (policy.exhausted()) {
                    case DEAD_LETTER -> {
                        deadLetter(a.item, a.error, 1);
                        a.release();
                    }
                    default -> throw a.error;
                }
            }
        }

        /**
         * {@code error} of a write acknowledged as failed (any thread). A failing policy fails the
         * run and a skipping one completes the item at once, on this thread (the terminal may be
         * idle for long: a quiet topic); a dead letter is sent by the terminal's thread, before
         * its next write or after the flush, since the send may have to wait.
         */
        void failed(ItemAck ack) {
            switch (policy.exhausted()) {
                case FAIL -> {
                    run.failing(stageName, ack.error, null);
                    failed.add(ack);
                }
                case SKIP -> ack.release();
                default -> failed.add(ack);
            }
        }

        /** A {@link dev.pipeline.Completion} that threw on the acknowledging thread. */
        void completionFailed(RuntimeException e) {
            run.failing(stageName, e, null);
        }
    }

    /** One item's acknowledgement: the first call settles it. */
    private static final class ItemAck implements Sink.Ack {
        private static final VarHandle SETTLED;

        static {
            try {
                SETTLED =
                        MethodHandles.lookup()
                                .findVarHandle(ItemAck.class, "settled", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Writing writing;
        final Object item;

        /** The reference this acknowledgement holds on the item's token, or null (untracked). */
        private final Token token;

        Exception error;

        @SuppressWarnings("unused") // through SETTLED
        private volatile boolean settled;

        ItemAck(Writing writing, Object item, Token token) {
            this.writing = writing;
            this.item = item;
            this.token = token;
        }

        private boolean settle() {
            return SETTLED.compareAndSet(this, false, true);
        }

        @Override
        public void done() {
            if (settle()) {
                try {
                    release();
                } catch (RuntimeException e) {
                    writing.completionFailed(e);
                }
            }
        }

        @Override
        public void failed(Exception e) {
            requireNonNull(e, "error");
            if (settle()) {
                error = e;
                writing.failed(this);
            }
        }

        /** Voids this acknowledgement: the write threw, so the policy handles the item. */
        void abandon() {
            if (settle()) {
                release();
            }
        }

        /** Gives up this acknowledgement's reference on the item's token. */
        void release() {
            if (token != null) {
                token.release();
            }
        }
    }
}
