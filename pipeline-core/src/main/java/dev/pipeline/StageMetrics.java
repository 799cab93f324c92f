package dev.pipeline;

/**
 * Counters of one stage of a run, a snapshot taken by {@link PipelineMetrics#stages()}.
 *
 * <p>Times are summed over the stage's workers. Busy time is the stage's thread time spent neither
 * waiting for input nor waiting for room downstream: running user code and the hand-offs.
 *
 * @param name the stage's name
 * @param workers the number of worker threads (0 for a {@code merge} read by the next stage itself)
 * @param itemsIn items taken from the stage's input so far (0 for a source)
 * @param itemsOut items sent to the stage's output so far (for a terminal: items consumed)
 * @param busyNanos time the workers were busy
 * @param blockedSendingNanos time spent waiting for room in the output: downstream is slower
 * @param blockedReceivingNanos time spent waiting for input: upstream is slower
 */
public record StageMetrics(
        String name,
        int workers,
        long itemsIn,
        long itemsOut,
        long busyNanos,
        long blockedSendingNanos,
        long blockedReceivingNanos) {}
