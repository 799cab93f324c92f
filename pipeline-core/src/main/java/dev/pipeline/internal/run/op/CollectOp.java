package dev.pipeline.internal.run.op;

import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.StageContext;

import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collector;

/**
 * Terminal {@code collect} (and {@code toList}, {@code start(collector)}): accumulates every item
 * with a {@link Collector} on the terminal's one thread; the run's result is the collector's. A
 * fresh container per run.
 */
public final class CollectOp extends ItemOp {
    private final Supplier<Object> supplier;
    private final BiConsumer<Object, Object> acc;
    private final Function<Object, Object> finisher;

    private CollectOp(Collector<Object, Object, Object> c) {
        this.supplier = c.supplier();
        this.acc = c.accumulator();
        this.finisher = c.finisher();
    }

    /**
     * {@code collect}.
     *
     * @param collector the collector
     * @return the terminal stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(Collector<?, ?, ?> collector) {
        return new CollectOp((Collector<Object, Object, Object>) collector);
    }

    @Override
    ItemWorker worker(StageContext ctx) {
        RunLifecycle run = ctx.run();
        BiConsumer<Object, Object> acc = this.acc;
        Function<Object, Object> finisher = this.finisher;
        return new ItemWorker(ctx, null) {
            final Object container = supplier.get();

            @Override
            boolean onItem(Object item) {
                acc.accept(container, item);
                return true;
            }

            @Override
            void onEnd() {
                run.setResult(finisher.apply(container));
            }
        };
    }
}
