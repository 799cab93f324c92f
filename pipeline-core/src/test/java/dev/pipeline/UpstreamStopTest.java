package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * When a stage ends early ({@code take}) the stages before it stop even if they are waiting for
 * input: the stop travels upstream through their inputs, so a source with nothing more to send (a
 * Kafka consumer on a drained topic) learns it from {@code isDisconnected()} instead of never.
 */
@Timeout(60)
class UpstreamStopTest {
    private final Threads threads = new Threads();

    /** Sends 0..9, then waits for the pipeline to stop reading, as a polling source does. */
    private static Pipeline<Integer> tenThenIdle() {
        return Pipeline.generate(
                "idle-source",
                out -> {
                    for (int i = 0; i < 10; i++) {
                        out.send(i);
                    }
                    while (!out.isDisconnected()) {
                        Thread.sleep(2);
                    }
                });
    }

    static List<Function<Pipeline<Integer>, Pipeline<Integer>>> middles() {
        return List.of(
                p -> p.map(i -> i),
                p -> p.map(i -> i).filter(i -> true).map(i -> i),
                p -> p.mapParallel(3, i -> i),
                p -> p.mapParallelUnordered(3, i -> i),
                p -> p.mapParallelByKey(2, i -> i % 2, i -> i),
                p -> p.batch(5).flatMap(l -> l), // two full batches: a third would wait for items
                p -> p.map(i -> i).virtualThreads(),
                p -> p.map(i -> i).capacity(0),
                p ->
                        p.broadcast(
                                List.<Function<Pipeline<Integer>, Pipeline<Integer>>>of(
                                        b -> b.map(i -> i), b -> b.filter(i -> false))),
                p -> Pipeline.merge(p.map(i -> i), Pipeline.<Integer>generate(out -> {})));
    }

    @ParameterizedTest
    @MethodSource("middles")
    void takeStopsAnIdleUpstream(Function<Pipeline<Integer>, Pipeline<Integer>> middle) {
        List<Integer> got = threads.watch(middle.apply(tenThenIdle()).take(10)).toList();
        assertThat(got).hasSize(10);
        threads.assertAllEnded();
    }

    @Test
    void aTrackedSourceSeesTheStopAndItsTakenItemsAreDone() throws Exception {
        java.util.concurrent.atomic.AtomicInteger done =
                new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> got =
                Pipeline.<Integer>generateTracked(
                                "tracked-idle",
                                out -> {
                                    for (int i = 0; i < 10; i++) {
                                        out.send(i, done::incrementAndGet);
                                    }
                                    while (!out.isDisconnected()) {
                                        Thread.sleep(2);
                                    }
                                })
                        .map("deserialize", i -> i)
                        .take(10)
                        .toList();
        assertThat(got).hasSize(10);
        assertThat(done.get()).isEqualTo(10);
    }

    @Test
    void aStageFailingDoesNotAbandonButFailsTheRun() {
        PipelineRun<Void> run =
                tenThenIdle()
                        .map(
                                i -> {
                                    if (i == 5) {
                                        throw new IllegalStateException("boom");
                                    }
                                    return i;
                                })
                        .start();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.await(Duration.ofSeconds(30)))
                .isInstanceOf(PipelineException.class)
                .hasRootCauseMessage("boom");
    }
}
