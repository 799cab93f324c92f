package dev.pipeline;

/**
 * A two-argument function a stage applies, such as the step of {@link Pipeline#scan}.
 *
 * <p>Unlike its {@code java.util.function} counterpart it may throw a checked exception: the stage
 * that calls it handles the exception by its {@link ErrorPolicy} (by default the run fails with a
 * {@link PipelineException} naming the stage).
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface StageBiFunction<A, B, R> {
    /**
     * Applies the function.
     *
     * @param a the first argument
     * @param b the second argument
     * @return the result; must not be null
     * @throws Exception any failure, handled by the stage's {@link ErrorPolicy}
     */
    R apply(A a, B b) throws Exception;
}
