package dev.pipeline;

/**
 * A function a stage applies to each item.
 *
 * <p>Unlike its {@code java.util.function} counterpart it may throw a checked exception: the stage
 * that calls it handles the exception by its {@link ErrorPolicy} (by default the run fails with a
 * {@link PipelineException} naming the stage).
 *
 * @param <T> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface StageFunction<T, R> {
    /**
     * Applies the function.
     *
     * @param t the item, never null
     * @return the result; must not be null
     * @throws Exception any failure, handled by the stage's {@link ErrorPolicy}
     */
    R apply(T t) throws Exception;
}
