package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import java.util.stream.IntStream;

/**
 * The {@code reduce} terminals, which reduce each run of items in a loop of their own, and {@code
 * count}, which adds each run's length: the result
 * is that of a sequential left fold in item order (checked with operators that are not
 * commutative), whatever the sizes, capacities and thread kinds; the seed is the identity or the
 * first item; a failing operator fails the run with the reduce stage's name and winds upstream
 * down.
 */
@Timeout(60)
class ReduceTest {
    private final Threads threads = new Threads();

    /** Order-sensitive and not commutative: a left fold in another order gives another value. */
    private static final BinaryOperator<Long> HASH = (h, v) -> 31 * h + v;

    private static long sequentialHash(long seed, int from, int to) {
        long h = seed;
        for (int i = from; i < to; i++) {
            h = 31 * h + i;
        }
        return h;
    }

    @RepeatedTest(20)
    void foldsEveryItemInOrderFromTheIdentity() {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        int n = r.nextInt(50_000);
        int capacity = r.nextInt(5) == 0 ? r.nextInt(3) : 1 + r.nextInt(2048);
        boolean virtual = r.nextBoolean();
        Pipeline<Long> p =
                Pipeline.range(0, n)
                        .capacity(capacity)
                        .map("widen", x -> (long) x)
                        .capacity(capacity);
        if (virtual) {
            p = p.withVirtualThreads();
        }
        long got = threads.watch(p).reduce(7L, HASH);
        assertThat(got)
                .as("seed %d: n=%d capacity=%d virtual=%b", seed, n, capacity, virtual)
                .isEqualTo(sequentialHash(7L, 0, n));
        threads.assertAllEnded();
    }

    @RepeatedTest(10)
    void withoutIdentityTheFirstItemIsTheSeed() {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        int n = 1 + r.nextInt(20_000);
        int capacity = 1 + r.nextInt(1024);
        Optional<Long> got =
                threads.watch(Pipeline.range(0, n).capacity(capacity).map(x -> (long) x))
                        .reduce(HASH);
        assertThat(got)
                .as("seed %d: n=%d capacity=%d", seed, n, capacity)
                .contains(sequentialHash(0L, 1, n));
        threads.assertAllEnded();
    }

    @Test
    void withoutIdentityNoItemsIsEmptyAndOneItemIsThatItem() {
        assertThat(threads.watch(Pipeline.range(0, 0)).reduce(Integer::sum)).isEmpty();
        assertThat(threads.watch(Pipeline.range(41, 42)).reduce(Integer::sum)).contains(41);
        threads.assertAllEnded();
    }

    @Test
    void withIdentityNoItemsIsTheIdentity() {
        assertThat(threads.watch(Pipeline.range(0, 0)).reduce(5, Integer::sum)).isEqualTo(5);
        threads.assertAllEnded();
    }

    @Test
    void aNullIdentityIsAllowedAndIsTheResultOfNoItems() {
        assertThat(threads.watch(Pipeline.<String>from(List.of())).reduce(null, String::concat))
                .isNull();
        assertThat(
                        threads.watch(Pipeline.from(List.of("a", "b")))
                                .reduce(null, (a, b) -> (a == null ? "" : a) + b))
                .isEqualTo("ab");
        threads.assertAllEnded();
    }

    @Test
    void anOperatorReturningNullFailsTheStageLikeAnyNullItem() {
        List<String> items = IntStream.range(0, 600).mapToObj(String::valueOf).toList();
        BinaryOperator<String> nullAtTheEnd = (a, b) -> b.equals("599") ? null : a + b;
        assertThatThrownBy(() -> threads.watch(Pipeline.from(items)).reduce(nullAtTheEnd))
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("reduce"))
                .hasCauseInstanceOf(NullPointerException.class)
                .hasMessageContaining("reduce");
        assertThatThrownBy(() -> threads.watch(Pipeline.from(items)).reduce("", nullAtTheEnd))
                .isInstanceOf(PipelineException.class)
                .hasCauseInstanceOf(NullPointerException.class);
        threads.assertAllEnded();
    }

    @Test
    void afterAMergeEveryItemIsReducedOnce() {
        List<Pipeline<Long>> sources = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int from = s * 10_000;
            sources.add(Pipeline.range(from, from + 10_000).map(x -> (long) x).capacity(7));
        }
        long sum = threads.watch(Pipeline.merge(sources)).reduce(0L, Long::sum);
        assertThat(sum).isEqualTo(40_000L * 39_999L / 2);
        threads.assertAllEnded();
    }

    @RepeatedTest(10)
    void aFailingOperatorFailsTheRunNamingTheStageAndCancelsUpstream() {
        int failAt = new Random().nextInt(100_000);
        AtomicInteger seen = new AtomicInteger();
        Pipeline<Long> endless =
                Pipeline.generate(
                        "endless",
                        out -> {
                            for (long i = 0; ; i++) {
                                out.send(i);
                            }
                        });
        BinaryOperator<Long> op =
                (a, b) -> {
                    if (seen.getAndIncrement() == failAt) {
                        throw new IllegalStateException("bad item " + b);
                    }
                    return a + b;
                };
        assertThatThrownBy(() -> threads.watch(endless).reduce(0L, op))
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("reduce"))
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bad item " + failAt);
        threads.assertAllEnded();
    }

    @RepeatedTest(10)
    void countIsTheNumberOfItemsWhateverTheRuns() {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        int sources = 1 + r.nextInt(3);
        List<Pipeline<Integer>> ps = new ArrayList<>();
        long expected = 0;
        for (int s = 0; s < sources; s++) {
            int n = r.nextInt(40_000);
            expected += n;
            int capacity = r.nextInt(4) == 0 ? r.nextInt(2) : 1 + r.nextInt(2048);
            ps.add(Pipeline.range(0, n).capacity(capacity).filter(x -> true).capacity(capacity));
        }
        Pipeline<Integer> p = sources == 1 ? ps.get(0) : Pipeline.merge(ps);
        if (r.nextBoolean()) {
            p = p.withVirtualThreads();
        }
        assertThat(threads.watch(p).count()).as("seed %d", seed).isEqualTo(expected);
        threads.assertAllEnded();
    }
}
