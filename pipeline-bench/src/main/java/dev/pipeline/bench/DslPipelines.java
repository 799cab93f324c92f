package dev.pipeline.bench;

import dev.pipeline.Pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collector;
import java.util.stream.Collectors;

/**
 * The pipelines of the benchmarks written with the DSL ({@link Pipeline}), as a user would write
 * them. Each stage runs on its own thread (a terminal too); the default edge capacity is {@value
 * Pipeline#DEFAULT_CAPACITY}, the same as the hand-built baselines.
 */
final class DslPipelines {

    private DslPipelines() {}

    private static <T> Pipeline<T> threads(Pipeline<T> p, boolean virtual) {
        return virtual ? p.withVirtualThreads() : p;
    }

    /** {@code range(0, n).map("square", x -> (long) x * x).reduce(0L, Long::sum)}. */
    static long squareSum(int n, boolean virtual) {
        Pipeline<Long> p = Pipeline.range(0, n).map("square", x -> (long) x * x);
        return threads(p, virtual).reduce(0L, Long::sum);
    }

    /** {@link #squareSum(int, boolean)} with every edge of {@code capacity}. */
    static long squareSum(int n, int capacity, boolean virtual) {
        Pipeline<Long> p =
                Pipeline.range(0, n)
                        .capacity(capacity)
                        .map("square", x -> (long) x * x)
                        .capacity(capacity);
        return threads(p, virtual).reduce(0L, Long::sum);
    }

    /** range, widen, {@code mapParallel(workers, heavy)}, low16, an order-sensitive hash. */
    static long parallelMap(int n, int workers, int rounds, boolean virtual) {
        Pipeline<Long> p =
                Pipeline.range(0, n)
                        .map("widen", x -> (long) x)
                        .mapParallel("heavy", workers, x -> Work.heavy(x, rounds))
                        .map("low16", ParallelMapPipelineBenchmark::low16);
        return threads(p, virtual).collect(orderHash());
    }

    private static Collector<Long, long[], Long> orderHash() {
        return Collector.of(
                () -> new long[1],
                (h, v) -> h[0] = 31 * h[0] + v,
                (a, b) -> {
                    throw new UnsupportedOperationException("an order hash is sequential");
                },
                h -> h[0]);
    }

    /** {@code merge(producers sources) -> parse -> batch(batch) -> forEach}: count/sum checksum. */
    static long logAggregation(String[] pool, int n, int producers, int batch, boolean virtual) {
        int share = n / producers;
        List<Pipeline<String>> sources = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int from = p * share;
            sources.add(
                    Pipeline.generate(
                            "producer-" + p,
                            out -> {
                                for (int i = from, end = from + share; i < end; i++) {
                                    out.send(pool[i % pool.length]);
                                }
                            }));
        }
        long[] countAndSum = new long[2];
        threads(
                        Pipeline.merge(sources)
                                .map("parse", LogAggregationBenchmark::parse)
                                .batch("batch", batch),
                        virtual)
                .forEach(
                        "sink",
                        b -> {
                            countAndSum[0] += b.size();
                            for (Integer latency : b) {
                                countAndSum[1] += latency;
                            }
                        });
        return LogAggregationBenchmark.checksum(countAndSum[0], countAndSum[1]);
    }

    /** range, {@code stages} identity maps, sum; every edge of {@code capacity}. */
    static long identityChain(int n, int stages, int capacity, boolean virtual) {
        Pipeline<Integer> p = Pipeline.range(0, n).capacity(capacity);
        for (int s = 0; s < stages; s++) {
            p = p.map("id-" + s, x -> x).capacity(capacity);
        }
        return threads(p, virtual).collect(Collectors.summingLong(Integer::longValue));
    }

    /** range, {@code stages} maps of {@code x + 1}, sum; every edge of {@code capacity}. */
    static long incrementChain(int n, int stages, int capacity) {
        Pipeline<Long> p = Pipeline.range(0L, (long) n).capacity(capacity);
        for (int s = 0; s < stages; s++) {
            p = p.map("inc-" + s, x -> x + 1).capacity(capacity);
        }
        return p.collect(Collectors.summingLong(Long::longValue));
    }

    /** merge of {@code producers} ranges splitting {@code 0..n-1}, sum. */
    static long mergeSum(int n, int producers, int capacity) {
        int share = n / producers;
        List<Pipeline<Integer>> sources = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            sources.add(Pipeline.range(p * share, (p + 1) * share).capacity(capacity));
        }
        return Pipeline.merge(sources)
                .capacity(capacity)
                .collect(Collectors.summingLong(Integer::longValue));
    }
}
