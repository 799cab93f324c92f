package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

@Timeout(20)
class FanInOutFailureTest {
    private final Threads threads = new Threads();

    private static Pipeline<Integer> endless() {
        return Pipeline.generate(
                out -> {
                    for (int i = 0; ; i++) {
                        out.send(i);
                    }
                });
    }

    @Test
    void aFailingMergeSourceFailsTheRunAndStopsTheOthers() {
        Pipeline<Integer> bad =
                Pipeline.generate(
                        "bad",
                        out -> {
                            out.send(-1);
                            throw new IOException("bad source");
                        });
        assertThatThrownBy(() -> threads.watch(Pipeline.merge(endless(), bad)).count())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("bad"));
        threads.assertAllEnded();
    }

    @Test
    void aFailingBroadcastBranchFailsTheRun() {
        List<Function<Pipeline<Integer>, Pipeline<Integer>>> branches =
                List.of(
                        p -> p.map("fine", x -> x),
                        p ->
                                p.map(
                                        "broken",
                                        x -> {
                                            if (x == 100) {
                                                throw new IOException("branch");
                                            }
                                            return x;
                                        }));
        assertThatThrownBy(() -> threads.watch(endless().broadcast(branches)).count())
                .isInstanceOf(PipelineException.class)
                .satisfies(
                        e -> assertThat(((PipelineException) e).stageName()).isEqualTo("broken"));
        threads.assertAllEnded();
    }

    @Test
    void takeAfterBroadcastCancelsEverything() {
        List<Function<Pipeline<Integer>, Pipeline<Integer>>> branches =
                List.of(p -> p.map(x -> x), p -> p.map(x -> -x));
        assertThat(threads.watch(endless().broadcast(branches).take(100)).count()).isEqualTo(100);
        threads.assertAllEnded();
    }

    @Test
    void takeAfterPartitionCancelsEverything() {
        assertThat(
                        threads.watch(endless().partition(3, x -> x % 5, p -> p.map(x -> x * 2)))
                                .take(100)
                                .count())
                .isEqualTo(100);
        threads.assertAllEnded();
    }

    @Test
    void aFailingPartitionFailsTheRun() {
        assertThatThrownBy(
                        () ->
                                threads.watch(
                                                Pipeline.range(0, 1000)
                                                        .partition(
                                                                2,
                                                                x -> x,
                                                                p ->
                                                                        p.map(
                                                                                "part",
                                                                                x -> {
                                                                                    if (x == 500) {
                                                                                        throw new IOException();
                                                                                    }
                                                                                    return x;
                                                                                })))
                                        .toList())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).startsWith("part"));
        threads.assertAllEnded();
    }

    @Test
    void aBroadcastBlueprintRunsTwice() {
        List<Function<Pipeline<Integer>, Pipeline<Integer>>> branches =
                List.of(p -> p.map(x -> x), p -> p.map(x -> x + 10));
        Pipeline<Integer> p = threads.watch(Pipeline.range(0, 5).broadcast(branches));
        assertThat(p.count()).isEqualTo(10);
        assertThat(p.count()).isEqualTo(10);
        threads.assertAllEnded();
    }

    @Test
    void virtualThreadParallelStagesEnd() {
        assertThat(
                        threads.watch(
                                        Pipeline.range(0, 3000)
                                                .mapParallel(8, x -> x + 1)
                                                .mapParallelByKey(3, x -> x % 4, x -> x)
                                                .withVirtualThreads())
                                .count())
                .isEqualTo(3000);
        assertThat(threads.seen).allMatch(Thread::isVirtual);
        threads.assertAllEnded();
    }
}
