package dev.pipeline.bench;

/** The pipelines of the benchmarks written with the DSL ({@code dev.pipeline.Pipeline}). */
final class DslPipelines {

    private DslPipelines() {}

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("the DSL is not merged yet");
    }

    /** {@code range(0, n).map(square).reduce(0, sum)}. */
    static long squareSum(int n, boolean virtual) {
        throw notYet();
    }

    /** {@code range(0, n).map(square).reduce(0, sum)} with every edge of {@code capacity}. */
    static long squareSum(int n, int capacity, boolean virtual) {
        throw notYet();
    }

    /** range, widen, mapParallel(workers, heavy), low16, order hash. */
    static long parallelMap(int n, int workers, int rounds, boolean virtual) {
        throw notYet();
    }

    /** merge(producers) -> parse -> batch -> sink; returns the count/sum checksum. */
    static long logAggregation(String[] pool, int n, int producers, int batch, boolean virtual) {
        throw notYet();
    }

    /** range, {@code stages} identity maps, sum. */
    static long identityChain(int n, int stages, int capacity, boolean virtual) {
        throw notYet();
    }

    /** range, {@code stages} maps of x + 1, sum. */
    static long incrementChain(int n, int stages, int capacity) {
        throw notYet();
    }

    /** merge of {@code producers} ranges splitting 0..n-1, sum. */
    static long mergeSum(int n, int producers, int capacity) {
        throw notYet();
    }
}
