package dev.pipeline;

/**
 * An action a stage performs on each item.
 *
 * <p>Unlike its {@code java.util.function} counterpart it may throw a checked exception: the stage
 * that calls it handles the exception by its {@link ErrorPolicy} (by default the run fails with a
 * {@link PipelineException} naming the stage).
 *
 * @param <T> the input type
 */
@FunctionalInterface
public interface StageConsumer<T> {
    /**
     * Performs the action.
     *
     * @param t the item, never null
     * @throws Exception any failure, handled by the stage's {@link ErrorPolicy}
     */
    void accept(T t) throws Exception;
}
