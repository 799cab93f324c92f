package dev.pipeline;

/**
 * What a {@linkplain Pipeline#generateTracked tracked source} is told when an item it sent is done
 * downstream: the item and every item derived from it were consumed by the terminal stage (its
 * action returned, or a {@link Sink} acknowledged them), dropped by a stage ({@code filter}, {@code
 * takeWhile}, {@code drop}, {@code distinct}), skipped by an error policy, or dead-lettered (the
 * dead letter was accepted by its channel).
 *
 * <p>The runtime calls {@link #done()} at most once per accepted item, on whichever thread of the
 * run finished it last, in no particular order across items (a parallel map finishes items out of
 * order). It never calls it for an item a send did not accept, nor for an item still in flight when
 * the run failed or was cancelled: what happened to such an item is unknown, so a source that
 * acknowledges only on {@code done()} gives at-least-once delivery. Nor is it called for an item
 * queued for a stage that stopped early on its own ({@code take}, {@code takeWhile}): the run then
 * ends anyway. (Inside one branch of a {@code broadcast} or {@code partition}, whose other branches
 * would go on, such a stage is refused at assembly behind a tracked source: ADR 19.)
 *
 * <p>Keep {@code done()} short and non-blocking (record the fact, let the source act on it): it
 * runs on a stage's thread between items. It should not throw; an exception it throws fails the
 * stage that finished the item (or, for an item finished by a {@link Sink}'s acknowledgement on a
 * thread outside the run, is logged).
 */
@FunctionalInterface
public interface Completion {
    /** The item, and everything derived from it, is done downstream. */
    void done();
}
