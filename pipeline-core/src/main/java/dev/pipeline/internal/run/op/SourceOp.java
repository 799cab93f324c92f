package dev.pipeline.internal.run.op;

import static java.util.Objects.requireNonNull;

import dev.pipeline.SourceBody;
import dev.pipeline.channel.Sender;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.StageContext;

import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A source running a send loop on its one thread: the user's own ({@code generate}), or one over
 * an {@code Iterable}, a fresh {@code Stream} or a fresh {@code Iterator} per run. The runtime
 * closes the output when the loop returns (or fails it if the loop throws).
 */
public final class SourceOp extends Op {
    private final SourceBody<Object> body;

    private SourceOp(SourceBody<Object> body) {
        this.body = body;
    }

    /**
     * {@code generate}: a source sending what {@code body} sends.
     *
     * @param body the user's loop
     * @return the stage
     */
    @SuppressWarnings("unchecked")
    public static Op of(SourceBody<?> body) {
        return new SourceOp((SourceBody<Object>) body);
    }

    /**
     * {@code from(Iterable)}: the items of {@code items}, iterated afresh by each run.
     *
     * @param items the items
     * @return the stage
     */
    public static Op fromIterable(Iterable<?> items) {
        return new SourceOp(
                out -> {
                    for (Object item : items) {
                        out.send(item);
                    }
                });
    }

    /**
     * {@code fromStream}: the items of a stream asked of {@code streams} per run, closed at the end.
     *
     * @param streams supplies one stream per run
     * @return the stage
     */
    public static Op fromStream(Supplier<? extends Stream<?>> streams) {
        return new SourceOp(
                out -> {
                    try (Stream<?> s = requireNonNull(streams.get(), "supplied stream")) {
                        Iterator<?> it = s.iterator();
                        while (it.hasNext()) {
                            out.send(it.next());
                        }
                    }
                });
    }

    /**
     * {@code fromIterator}: the items of an iterator asked of {@code iterators} per run.
     *
     * @param iterators supplies one iterator per run
     * @return the stage
     */
    public static Op fromIterator(Supplier<? extends Iterator<?>> iterators) {
        return new SourceOp(
                out -> {
                    Iterator<?> it = requireNonNull(iterators.get(), "supplied iterator");
                    while (it.hasNext()) {
                        out.send(it.next());
                    }
                });
    }

    @Override
    protected void build(StageContext ctx) {
        Sender<Object> out = ctx.output();
        ctx.spawn(() -> body.run(out), List.of(), List.of(out));
    }
}
