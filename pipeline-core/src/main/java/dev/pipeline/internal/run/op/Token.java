package dev.pipeline.internal.run.op;

import dev.pipeline.Completion;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The completion count of one tracked item (ADR 19): how many items derived from it are still in
 * flight, starting at one for the item itself. Each stage that makes an output from a tracked item
 * takes one more reference for it before publishing it ({@link #acquire}) and gives up the item's
 * own reference once it is done with the item ({@link #release}); the release that brings the
 * count to zero calls the source's {@link Completion}, exactly once.
 *
 * <p>Thread-safe: references are taken and given up on any thread of the run (and by a sink's
 * acknowledgement, on the client's thread). A reference is always taken by a thread that holds
 * one, so the count cannot reach zero while an output is still to be published.
 */
final class Token {
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(Token.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Completion done;

    @SuppressWarnings("unused") // through REFS
    private volatile int refs = 1;

    /** A token holding the item's own reference, completing with {@code done}. */
    Token(Completion done) {
        this.done = done;
    }

    /** Takes one more reference, for an output about to be published; returns this token. */
    Token acquire() {
        REFS.getAndAdd(this, 1);
        return this;
    }

    /** Gives up one reference; the last one completes the item. */
    void release() {
        if ((int) REFS.getAndAdd(this, -1) == 1) {
            done.done();
        }
    }

    /** A token completing when it is released, by releasing each of {@code members} (a batch). */
    static Token releasingAll(Token[] members) {
        return new Token(
                () -> {
                    for (Token t : members) {
                        t.release();
                    }
                });
    }
}
