package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.TrackedSourceTest.Book;
import dev.pipeline.TrackedSourceTest.Shape;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntUnaryOperator;

/**
 * Random chains of operators behind a tracked source, with random capacities and thread kinds,
 * ended normally, by a failing stage, or by a cancel at a random moment: an item is never done
 * twice, never before all its outputs reached the terminal, every item is done once in a run that
 * completes, and no thread of a run is left alive.
 */
@Timeout(120)
class TrackedRandomTest {
    private final Threads threads = new Threads();

    /**
     * Shapes that compose: each output is its item's index, so counts multiply along a chain (not
     * those that count positions, as {@code drop} and {@code take} do, nor {@code distinct}).
     */
    private static List<Shape> composable() {
        return TrackedSourceTest.shapes().stream()
                .filter(
                        s ->
                                !s.name().equals("drop")
                                        && !s.name().equals("distinct")
                                        && !s.name().startsWith("merge"))
                .toList();
    }

    @RepeatedTest(100)
    void randomChainsCompleteEachItemOnceAtMost(org.junit.jupiter.api.RepetitionInfo rep)
            throws Exception {
        Random r = new Random(7919L * rep.getCurrentRepetition());
        List<Shape> all = composable();
        int length = 1 + r.nextInt(3);
        List<Shape> chain = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            chain.add(all.get(r.nextInt(all.size())));
        }
        IntUnaryOperator outputs =
                i -> {
                    int n = 1;
                    for (Shape s : chain) {
                        n *= s.outputs().applyAsInt(i);
                    }
                    return n;
                };
        Book book = new Book(outputs);
        Pipeline<Integer> p = book.source().capacity(r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(64));
        for (Shape s : chain) {
            p = s.body().apply(p).capacity(r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(128));
        }
        int ending = r.nextInt(3); // 0: runs to the end, 1: a stage fails, 2: cancelled
        int failAt = r.nextInt(3_000);
        if (ending == 1) {
            p =
                    p.map(
                            i -> {
                                if (i == failAt) {
                                    throw new IllegalStateException("fail at " + failAt);
                                }
                                return i;
                            });
        }
        if (r.nextBoolean()) {
            p = p.virtualThreads();
        }
        PipelineRun<Void> run = threads.watch(p).start("sink", sinkAcking(book));
        String what = chain + " ending " + ending;
        if (ending == 2) {
            Thread.sleep(r.nextInt(20));
            run.cancel();
        }
        try {
            run.await(Duration.ofSeconds(60));
            // a cancel may come after the end, and a failing item may be filtered out before it
            if (ending == 0) {
                book.assertEveryItemDoneOnce();
            }
        } catch (PipelineException | CancellationException e) {
            assertThat(ending).as("%s: %s", what, e).isNotZero();
        } catch (TimeoutException e) {
            throw new AssertionError(what + " hung", e);
        }
        assertThat(book.violations).as(what).isEmpty();
        for (int i = 0; i < TrackedSourceTest.N_ITEMS; i++) {
            assertThat(book.done.get(i)).as("%s: item %d", what, i).isLessThanOrEqualTo(1);
        }
        if (ending == 1 && outputs.applyAsInt(failAt) > 0) { // else the chain drops it first
            assertThat(book.done.get(failAt)).as("%s: the failing item", what).isZero();
        }
        threads.assertAllEnded();
    }

    /** A sink acknowledging at once, on the terminal's thread. */
    private static Sink<Integer> sinkAcking(Book book) {
        return () ->
                new Sink.Writer<Integer>() {
                    @Override
                    public void write(Integer i, Sink.Ack ack) {
                        book.saw(i);
                        ack.done();
                    }

                    @Override
                    public void close() {}
                };
    }
}
