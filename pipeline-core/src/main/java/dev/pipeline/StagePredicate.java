package dev.pipeline;

/**
 * A predicate a stage tests each item with.
 *
 * <p>Unlike its {@code java.util.function} counterpart it may throw a checked exception: the stage
 * that calls it handles the exception by its {@link ErrorPolicy} (by default the run fails with a
 * {@link PipelineException} naming the stage).
 *
 * @param <T> the input type
 */
@FunctionalInterface
public interface StagePredicate<T> {
    /**
     * Tests the item.
     *
     * @param t the item, never null
     * @return whether the item passes
     * @throws Exception any failure, handled by the stage's {@link ErrorPolicy}
     */
    boolean test(T t) throws Exception;
}
