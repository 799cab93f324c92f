package dev.pipeline.internal.run.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.StageMetrics;
import dev.pipeline.internal.run.Node;
import dev.pipeline.internal.run.Op;
import dev.pipeline.internal.run.RunLifecycle;
import dev.pipeline.internal.run.RunWiring;
import dev.pipeline.internal.run.StageContext;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An operator written as the package comment says (one {@link ItemOp} subclass), run through the
 * runtime alone, before it has a {@code Pipeline} method: the template for trying a new operator.
 */
class NewOperatorTest {

    /** Sends each item twice; fails on a negative item. */
    static final class TwiceOp extends ItemOp {
        @Override
        protected boolean acceptsPolicy() {
            return true;
        }

        @Override
        ItemWorker worker(StageContext ctx) {
            return new ItemWorker(ctx, ctx.output()) {
                @Override
                boolean onItem(Object item) throws InterruptedException {
                    if ((Integer) item < 0) {
                        throw new IllegalArgumentException("negative: " + item);
                    }
                    emit(item);
                    emit(item);
                    return true;
                }
            };
        }
    }

    private static Node chain(Op source, Op middle) {
        Node src = Node.of(source, "src", List.of());
        Node op = Node.of(middle, "twice", List.of(src));
        return Node.of(CollectOp.of(Collectors.toList()), "toList", List.of(op));
    }

    private static RunWiring wiring() {
        return new RunWiring(
                "t",
                false,
                null,
                false,
                (pipeline, stage, cause, later) ->
                        new IllegalStateException("stage '" + stage + "' failed", cause));
    }

    @Test
    void aNewItemOpRunsBetweenASourceAndATerminal() throws Exception {
        RunWiring wiring = wiring();
        RunLifecycle run = wiring.start(chain(RangeOp.ints(0, 3), new TwiceOp()));

        assertThat(run.await(null)).isEqualTo(List.of(0, 0, 1, 1, 2, 2));
        assertThat(run.isDone()).isTrue();
        StageMetrics twice =
                wiring.metrics().stages().stream()
                        .filter(s -> s.name().equals("twice"))
                        .findFirst()
                        .orElseThrow();
        assertThat(twice.itemsIn()).isEqualTo(3);
        assertThat(twice.itemsOut()).isEqualTo(6);
        assertThat(twice.workers()).isEqualTo(1);
    }

    @Test
    void aNewItemOpsFailureFailsTheRunNamingItsStage() {
        RunLifecycle run = wiring().start(chain(RangeOp.ints(-1, 3), new TwiceOp()));

        assertThatThrownBy(() -> run.await(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stage 'twice' failed")
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negative: -1");
        assertThat(run.isDone()).isTrue();
    }

    @Test
    void aNewItemOpAcceptsAnErrorPolicy() {
        assertThat(Node.of(new TwiceOp(), "twice", List.of()).acceptsPolicy()).isTrue();
        assertThat(Node.of(DropOp.of(1), "drop", List.of()).acceptsPolicy()).isFalse();
    }
}
