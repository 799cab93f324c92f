package dev.pipeline.internal.run.op;

import java.util.List;

/**
 * A tracked item on the runtime's edges: the user's value and the {@link Token} of the source item
 * it comes from (ADR 19). Only pipelines fed by a tracked source carry envelopes; user code never
 * sees one: the stages unwrap it before calling a function and wrap the results with the same
 * token.
 */
final class Envelope {
    final Object value;
    final Token token;

    Envelope(Object value, Token token) {
        this.value = value;
        this.token = token;
    }

    /** The user's value of {@code item}: unwrapped if it is an envelope. */
    static Object value(Object item) {
        return item instanceof Envelope e ? e.value : item;
    }

    /** Gives up {@code item}'s reference if it is an envelope (the item is dropped: it is done). */
    static void release(Object item) {
        if (item instanceof Envelope e) {
            e.token.release();
        }
    }

    /**
     * {@code batch} as the runtime sends it on: the list itself if none of its items is tracked,
     * else the list of their values in an envelope whose token releases each item's when the batch
     * is done. Unwraps the list in place.
     */
    static Object batch(List<Object> batch) {
        int tracked = 0;
        for (Object item : batch) {
            if (item instanceof Envelope) {
                tracked++;
            }
        }
        if (tracked == 0) {
            return batch;
        }
        Token[] members = new Token[tracked];
        int m = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof Envelope e) {
                members[m++] = e.token;
                batch.set(i, e.value);
            }
        }
        return new Envelope(batch, Token.releasingAll(members));
    }
}
