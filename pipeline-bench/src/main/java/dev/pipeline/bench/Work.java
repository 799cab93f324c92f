package dev.pipeline.bench;

/** The per-item work of the pipeline benchmarks, shared so every implementation does the same. */
final class Work {

    private Work() {}

    /** The square of {@code x}, widened: the 3-stage benchmark's map. */
    static long square(int x) {
        return (long) x * x;
    }

    /** {@link #square(int)} over a boxed item, for hand-built stages. */
    static Object squareBoxed(Object x) {
        return square(((Integer) x).intValue());
    }

    /**
     * A CPU-heavier function: {@code rounds} rounds of a 64-bit LCG and xorshift mix. About a
     * nanosecond a round; deterministic, so the checksum is known.
     */
    static long heavy(long x, int rounds) {
        long h = x;
        for (int i = 0; i < rounds; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
            h ^= h >>> 29;
        }
        return h;
    }
}
