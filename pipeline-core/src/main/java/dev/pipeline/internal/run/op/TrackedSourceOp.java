package dev.pipeline.internal.run.op;

import static java.util.Objects.requireNonNull;

import dev.pipeline.Completion;
import dev.pipeline.TrackedSender;
import dev.pipeline.TrackedSourceBody;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;
import dev.pipeline.internal.run.StageInfo;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code generateTracked}: a source running the user's send loop on its one thread, each item sent
 * with a {@link Completion} that the stages downstream call once the item is done (ADR 19). Each
 * item leaves in an {@link Envelope} with a fresh {@link Token}; every stage the pipeline wires
 * after this one knows it is tracked ({@link StageContext#tracked()}).
 */
public final class TrackedSourceOp extends Op {
    private final TrackedSourceBody<Object> body;

    private TrackedSourceOp(TrackedSourceBody<Object> body) {
        this.body = body;
    }

    /**
     * {@code generateTracked}: a source sending what {@code body} sends, with completions.
     *
     * @param body the user's loop
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(TrackedSourceBody<?> body) {
        return new TrackedSourceOp((TrackedSourceBody<Object>) body);
    }

    @Override
    protected boolean tracksItems() {
        return true;
    }

    @Override
    protected boolean writesOutputAlone() {
        return true; // the body sees only the wrapper, which sends on its one thread
    }

    @Override
    protected void build(StageContext ctx) {
        Sender<Object> out = ctx.output();
        TrackingSender tx = new TrackingSender(out, ctx.stage());
        ctx.spawn(() -> body.run(tx), List.of(), List.of(out));
    }

    /** The body's sender: wraps each item with a new token; a refused send drops the envelope. */
    private static final class TrackingSender implements TrackedSender<Object> {
        private final Sender<Object> out;
        private final StageInfo stage;

        TrackingSender(Sender<Object> out, StageInfo stage) {
            this.out = out;
            this.stage = stage;
        }

        private static Envelope wrap(Object item, Completion done) {
            requireNonNull(item, "item");
            requireNonNull(done, "done");
            return new Envelope(item, new Token(done));
        }

        @Override
        public void send(Object item, Completion done) throws InterruptedException {
            out.send(wrap(item, done));
        }

        @Override
        public SendResult<Object> send(Object item, Completion done, Duration timeout)
                throws InterruptedException {
            requireNonNull(timeout, "timeout");
            return unwrapped(out.send(wrap(item, done), timeout), item);
        }

        @Override
        public SendResult<Object> trySend(Object item, Completion done) {
            return unwrapped(out.trySend(wrap(item, done)), item);
        }

        /** {@code r} with the user's item in place of the refused envelope. */
        private static SendResult<Object> unwrapped(SendResult<Object> r, Object item) {
            if (r instanceof SendResult.Full<Object>) {
                return new SendResult.Full<>(item);
            }
            if (r instanceof SendResult.Disconnected<Object>) {
                return new SendResult.Disconnected<>(item);
            }
            return r;
        }

        @Override
        public boolean isDisconnected() {
            return out.isDisconnected();
        }

        @Override
        public void status(Supplier<String> status) {
            stage.status(requireNonNull(status, "status"));
        }
    }
}
