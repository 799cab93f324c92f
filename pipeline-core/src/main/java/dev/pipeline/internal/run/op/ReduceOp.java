package dev.pipeline.internal.run.op;

import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

import java.util.Optional;
import java.util.function.BinaryOperator;

/**
 * Terminal {@code reduce}: from an identity ({@link #fromIdentity}: the run's result is the
 * reduction; the identity may be null, as in {@code Stream.reduce}), or from the first item
 * ({@link #fromFirstItem}: the result is an {@code Optional}, empty for no items, as for {@code
 * Collectors.reducing(op)}); a null result of the operator fails the stage. Each run of items is
 * folded in one loop with the accumulator in a local: per item one call of the operator, where a
 * collector costs an accumulator call and a holder array's load and store. One thread.
 */
public final class ReduceOp extends ItemOp {
    private final boolean optional;
    private final Object identity;
    private final BinaryOperator<Object> op;

    private ReduceOp(boolean optional, Object identity, BinaryOperator<Object> op) {
        this.optional = optional;
        this.identity = identity;
        this.op = op;
    }

    /**
     * {@code reduce(identity, op)}.
     *
     * @param identity the identity of {@code op}, may be null
     * @param op the associative operator
     * @return the terminal stage
     */
    @SuppressWarnings("unchecked")
    public static Op fromIdentity(Object identity, BinaryOperator<?> op) {
        return new ReduceOp(false, identity, (BinaryOperator<Object>) op);
    }

    /**
     * {@code reduce(op)}: the result is an {@code Optional}.
     *
     * @param op the associative operator
     * @return the terminal stage
     */
    @SuppressWarnings("unchecked")
    public static Op fromFirstItem(BinaryOperator<?> op) {
        return new ReduceOp(true, null, (BinaryOperator<Object>) op);
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        RunLifecycle run = ctx.run();
        boolean optional = this.optional;
        BinaryOperator<Object> op = this.op;
        return new ItemWorker(ctx, null) {
            Object acc = identity;
            boolean present = !optional;

            @Override
            boolean onItem(Object item) {
                if (present) {
                    acc = notNull(op.apply(acc, item));
                } else {
                    acc = item;
                    present = true;
                }
                return true;
            }

            @Override
            boolean onItems(Object[] items, int k) {
                int i = 0;
                if (!present && k > 0) {
                    acc = items[0];
                    present = true;
                    i = 1;
                }
                Object a = acc;
                try {
                    for (; i < k; i++) {
                        a = op.apply(a, items[i]);
                        if (a == null) {
                            throw nullResult();
                        }
                    }
                } finally {
                    acc = a; // the reduction of the items before a failing one
                }
                return true;
            }

            @Override
            void onEnd() {
                run.setResult(optional ? Optional.ofNullable(acc) : acc);
            }
        };
    }
}
