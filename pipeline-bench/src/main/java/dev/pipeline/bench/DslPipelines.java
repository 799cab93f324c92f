package dev.pipeline.bench;

/** The pipelines of the benchmarks written with the DSL ({@code dev.pipeline.Pipeline}). */
final class DslPipelines {

    private DslPipelines() {}

    /** {@code range(0, n).map(square).reduce(0, sum)}; placeholder until the DSL is merged. */
    static long squareSum(int n, boolean virtual) {
        throw new UnsupportedOperationException("the DSL is not merged yet");
    }
}
