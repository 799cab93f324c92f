package dev.pipeline.bench;

/** Sizes shared by the benchmarks, and the quick mode used by the test suite. */
final class Bench {

    private Bench() {}

    /**
     * {@code nominal} divided by the system property {@code pipeline.bench.scale} (default 1). The
     * quick mode of the test suite sets a large scale so every benchmark runs briefly; scores are
     * then wrong by that factor (their {@code @OperationsPerInvocation} is a constant) and must not
     * be reported.
     */
    static int items(int nominal) {
        int scale = Integer.getInteger("pipeline.bench.scale", 1);
        int n = Math.max(64, nominal / Math.max(1, scale));
        return n - n % 64; // divisible by every producer and worker count used here
    }

    /** Boxed {@code 0..n-1}, allocated once per trial so hand-offs allocate nothing. */
    static Long[] boxes(int n) {
        Long[] items = new Long[n];
        for (int i = 0; i < n; i++) {
            items[i] = (long) i;
        }
        return items;
    }

    /** The sum {@code 0 + 1 + ... + (n-1)}. */
    static long sum(long n) {
        return n * (n - 1) / 2;
    }

    /** The sum of squares {@code 0^2 + ... + (n-1)^2}. */
    static long sumOfSquares(long n) {
        return (n - 1) * n * (2 * n - 1) / 6;
    }

    /** Throws if a benchmark's checksum is wrong: a broken implementation must not score. */
    static long check(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(
                    what + ": checksum " + actual + " but expected " + expected);
        }
        return actual;
    }
}
