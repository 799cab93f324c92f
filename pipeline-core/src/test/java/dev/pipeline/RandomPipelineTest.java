package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Builds random pipelines (random operators, capacities, parallelism, thread kinds, and sometimes a
 * failure injected at one stage and item) and checks each against the same computation done
 * sequentially with {@code java.util.stream}, or against the expected {@link PipelineException}.
 * Seeds derive from {@code -Dpipeline.random.seed} (default fixed) and the count from {@code
 * -Dpipeline.random.runs}.
 */
@Timeout(60)
class RandomPipelineTest {
    private static final long SEED = Long.getLong("pipeline.random.seed", 20261128L);
    private static final int RUNS = Integer.getInteger("pipeline.random.runs", 120);

    static final class Injected extends Exception {
        private static final long serialVersionUID = 1L;

        Injected(int item) {
            super("injected at item " + item);
        }
    }

    /** One random stage: its pipeline form and its sequential form. */
    record Step(
            String describe,
            UnaryOperator<Pipeline<Integer>> pipe,
            UnaryOperator<List<Integer>> seq,
            boolean stopsEarly,
            boolean reorders,
            boolean canFail) {}

    @Test
    void randomPipelinesMatchSequentialStreams() {
        for (int run = 0; run < RUNS; run++) {
            long seed = SEED + run;
            check(seed);
        }
    }

    private void check(long seed) {
        Random r = new Random(seed);
        int n = r.nextInt(3000);
        Threads threads = new Threads();
        int stepsCount = 1 + r.nextInt(6);
        List<Step> steps = new ArrayList<>();
        boolean reordered = false;
        for (int i = 0; i < stepsCount; i++) {
            Step s = randomStep(r, "s" + i, reordered);
            reordered |= s.reorders;
            steps.add(s);
        }
        int failAt = -1;
        int failItem = -1;
        if (r.nextInt(3) == 0) {
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).canFail) {
                    candidates.add(i);
                }
            }
            if (!candidates.isEmpty()) {
                failAt = candidates.get(r.nextInt(candidates.size()));
                failItem = r.nextInt(Math.max(1, n));
            }
        }
        Pipeline<Integer> p = r.nextBoolean() ? Pipeline.range(0, n) : Pipeline.from(range(n));
        if (r.nextInt(4) == 0) {
            p = p.withVirtualThreads();
        }
        List<Integer> expected = range(n);
        boolean hitsFailure = false;
        boolean stopsAfterFailure = false;
        StringBuilder desc = new StringBuilder("seed " + seed + ": range(" + n + ")");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (i == failAt) {
                int bad = failItem;
                if (expected.contains(bad)) {
                    hitsFailure = true;
                }
                desc.append(".fail(s").append(i).append(" at ").append(bad).append(")");
                p =
                        p.map(
                                "fail-s" + i,
                                x -> {
                                    if (x == bad) {
                                        throw new Injected(x);
                                    }
                                    return x;
                                });
            }
            if (hitsFailure && s.stopsEarly) {
                stopsAfterFailure = true; // it may stop before the failing item gets through
            }
            p = s.pipe.apply(p);
            expected = s.seq.apply(expected);
            desc.append(".").append(s.describe);
            if (r.nextInt(3) == 0) {
                int cap = new int[] {0, 1, 2, 16, 1024}[r.nextInt(5)];
                p = p.capacity(cap);
                desc.append(".capacity(").append(cap).append(")");
            }
            if (r.nextInt(5) == 0) {
                p = p.virtualThreads();
                desc.append(".virtual()");
            }
        }
        Pipeline<Integer> watched = threads.watch(p.named("rnd" + seed));
        List<Integer> got = new ArrayList<>();
        Throwable error = catchThrowable(() -> got.addAll(watched.toList()));
        threads.assertAllEnded();
        String what = desc.toString();
        if (hitsFailure && !stopsAfterFailure) {
            assertThat(error).as(what).isInstanceOf(PipelineException.class);
        }
        if (error != null) {
            assertThat(hitsFailure).as(what + " failed unexpectedly: " + error).isTrue();
            assertThat(error).as(what).isInstanceOf(PipelineException.class);
            assertThat(((PipelineException) error).stageName())
                    .as(what)
                    .isEqualTo("fail-s" + failAt);
            assertThat(error.getCause()).as(what).isInstanceOf(Injected.class);
            return;
        }
        if (reordered) {
            assertThat(got).as(what).containsExactlyInAnyOrderElementsOf(expected);
        } else {
            assertThat(got).as(what).isEqualTo(expected);
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static Step randomStep(Random r, String name, boolean reordered) {
        int kind = r.nextInt(reordered ? 4 : 14);
        switch (kind) {
            case 0:
                {
                    int k = 1 + r.nextInt(5);
                    return new Step(
                            "map(x*" + k + "%5000)",
                            p -> p.map(name, x -> x * k % 5000),
                            l -> l.stream().map(x -> x * k % 5000).toList(),
                            false,
                            false,
                            true);
                }
            case 1:
                {
                    int k = 2 + r.nextInt(4);
                    return new Step(
                            "filter(x%" + k + "!=0)",
                            p -> p.filter(name, x -> x % k != 0),
                            l -> l.stream().filter(x -> x % k != 0).toList(),
                            false,
                            false,
                            true);
                }
            case 2:
                {
                    int w = 1 + r.nextInt(4);
                    return new Step(
                            "mapParallelUnordered(" + w + ")",
                            p -> p.mapParallelUnordered(name, w, x -> x + 1),
                            l -> l.stream().map(x -> x + 1).toList(),
                            false,
                            true,
                            true);
                }
            case 3:
                {
                    int w = 1 + r.nextInt(4);
                    return new Step(
                            "mapParallelByKey(" + w + ")",
                            p -> p.mapParallelByKey(name, w, x -> x % 7, x -> x + 2),
                            l -> l.stream().map(x -> x + 2).toList(),
                            false,
                            true,
                            true);
                }
            case 4:
                {
                    return new Step(
                            "flatMap(x,x+1)",
                            p -> p.flatMap(name, x -> List.of(x, x + 1)).take(4000),
                            l -> l.stream().flatMap(x -> Stream.of(x, x + 1)).limit(4000).toList(),
                            true,
                            false,
                            true);
                }
            case 5:
                {
                    long t = r.nextInt(3000);
                    return new Step(
                            "take(" + t + ")",
                            p -> p.take(name, t),
                            l -> l.stream().limit(t).toList(),
                            true,
                            false,
                            false);
                }
            case 6:
                {
                    long d = r.nextInt(500);
                    return new Step(
                            "drop(" + d + ")",
                            p -> p.drop(name, d),
                            l -> l.stream().skip(d).toList(),
                            false,
                            false,
                            false);
                }
            case 7:
                {
                    return new Step(
                            "scan(sum%10007)",
                            p -> p.scan(name, 0, (a, x) -> (a + x) % 10007),
                            l -> {
                                List<Integer> out = new ArrayList<>();
                                int acc = 0;
                                for (int x : l) {
                                    acc = (acc + x) % 10007;
                                    out.add(acc);
                                }
                                return out;
                            },
                            false,
                            false,
                            true);
                }
            case 8:
                {
                    int size = 1 + r.nextInt(50);
                    boolean timed = r.nextBoolean();
                    return new Step(
                            "batch(" + size + (timed ? ",1ms" : "") + ").flatten",
                            p ->
                                    (timed
                                                    ? p.batch(name, size, Duration.ofMillis(1))
                                                    : p.batch(name, size))
                                            .flatMap(b -> b),
                            UnaryOperator.identity(),
                            false,
                            false,
                            false);
                }
            case 9:
                {
                    int w = 1 + r.nextInt(4);
                    return new Step(
                            "mapParallel(" + w + ")",
                            p -> p.mapParallel(name, w, x -> x * 2 % 7919),
                            l -> l.stream().map(x -> x * 2 % 7919).toList(),
                            false,
                            false,
                            true);
                }
            case 10:
                {
                    return new Step(
                            "distinct",
                            p -> p.distinct(name),
                            l -> l.stream().distinct().toList(),
                            false,
                            false,
                            false);
                }
            case 11:
                {
                    int limit = r.nextInt(5000);
                    return new Step(
                            "takeWhile(x<" + limit + ")",
                            p -> p.takeWhile(name, x -> x < limit),
                            l -> l.stream().takeWhile(x -> x < limit).toList(),
                            true,
                            false,
                            true);
                }
            case 12:
                {
                    return new Step(
                            "peek",
                            p -> p.peek(name, x -> {}),
                            UnaryOperator.identity(),
                            false,
                            false,
                            true);
                }
            default:
                {
                    return new Step(
                            "through(copy)",
                            p ->
                                    p.through(
                                            name,
                                            (in, out) -> {
                                                for (Integer x : in) {
                                                    out.send(x);
                                                }
                                            }),
                            UnaryOperator.identity(),
                            false,
                            false,
                            false);
                }
        }
    }

    @SuppressWarnings("unused")
    private static final Comparator<Integer> ORDER = Comparator.naturalOrder();
}
