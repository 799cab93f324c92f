package dev.pipeline.bench;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Pipelines built by hand from plain threads and {@link Link}s, as a user would write them without
 * a pipeline library: the baselines of the pipeline benchmarks.
 */
final class HandBuilt {

    private HandBuilt() {}

    /**
     * Runs {@code generate 0..n-1 -> maps[0] -> ... -> maps[k-1] -> sum}: one thread per stage (k +
     * 2 threads), one link of {@code capacity} between neighbours. The generator boxes {@code
     * Integer}s, as a DSL range does.
     *
     * @return the sum of the last stage's outputs, as {@code Number.longValue()}
     */
    static long chain(
            String kind,
            ThreadKind threads,
            int capacity,
            int n,
            List<? extends UnaryOperator<Object>> maps)
            throws InterruptedException {
        Workers workers = new Workers(threads);
        Link[] links = new Link[maps.size() + 1];
        for (int i = 0; i < links.length; i++) {
            links[i] = Link.create(kind, capacity);
        }
        workers.start(
                "generate",
                () -> {
                    Link out = links[0];
                    for (int i = 0; i < n; i++) {
                        out.put(i);
                    }
                    out.end();
                });
        for (int s = 0; s < maps.size(); s++) {
            Link in = links[s];
            Link out = links[s + 1];
            UnaryOperator<Object> fn = maps.get(s);
            workers.start(
                    "map-" + s,
                    () -> {
                        for (Object v; (v = in.take()) != Link.END; ) {
                            out.put(fn.apply(v));
                        }
                        out.end();
                    });
        }
        long[] sum = new long[1];
        workers.start(
                "sum",
                () -> {
                    Link in = links[links.length - 1];
                    long s = 0;
                    for (Object v; (v = in.take()) != Link.END; ) {
                        s += ((Number) v).longValue();
                    }
                    sum[0] = s;
                });
        workers.joinAll();
        return sum[0];
    }
}
