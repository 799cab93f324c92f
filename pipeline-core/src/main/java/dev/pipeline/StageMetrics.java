package dev.pipeline;

import java.util.Objects;

/**
 * Counters of one stage of a run, a snapshot taken by {@link PipelineMetrics#stages()}.
 *
 * <p>Times are summed over the stage's workers. Busy time is the stage's thread time spent neither
 * waiting for input nor waiting for room downstream nor waiting for room in its dead-letter channel:
 * running user code and the hand-offs.
 *
 * @param name the stage's name
 * @param workers the number of worker threads (0 for a {@code merge} read by the next stage itself)
 * @param itemsIn items taken from the stage's input so far (0 for a source)
 * @param itemsOut items sent to the stage's output so far (for a terminal: items consumed)
 * @param busyNanos time the workers were busy
 * @param blockedSendingNanos time spent waiting for room in the output: downstream is slower
 * @param blockedReceivingNanos time spent waiting for input: upstream is slower
 * @param blockedDeadLetterNanos time spent waiting for room in the stage's dead-letter channel
 *     (see {@link ErrorPolicy#deadLetter}): whoever drains it is slower, or nobody does
 * @param blockedOnDeadLetter whether a worker of the stage is waiting for room in its dead-letter
 *     channel right now (a run that seems hung with this set needs its dead letters drained)
 * @param status the stage's own status line, "" if it has none (a tracked source may set one with
 *     {@link TrackedSender#status}: a Kafka source's consumer lag per partition, for example)
 */
public record StageMetrics(
        String name,
        int workers,
        long itemsIn,
        long itemsOut,
        long busyNanos,
        long blockedSendingNanos,
        long blockedReceivingNanos,
        long blockedDeadLetterNanos,
        boolean blockedOnDeadLetter,
        String status) {

    /** Checks the status line. */
    public StageMetrics {
        Objects.requireNonNull(status, "status");
    }

    /**
     * The counters of a stage without a status line.
     *
     * @param name the stage's name
     * @param workers the number of worker threads
     * @param itemsIn items taken from the stage's input so far
     * @param itemsOut items sent to the stage's output so far
     * @param busyNanos time the workers were busy
     * @param blockedSendingNanos time spent waiting for room in the output
     * @param blockedReceivingNanos time spent waiting for input
     * @param blockedDeadLetterNanos time spent waiting for room in the dead-letter channel
     * @param blockedOnDeadLetter whether a worker waits for room there right now
     */
    public StageMetrics(
            String name,
            int workers,
            long itemsIn,
            long itemsOut,
            long busyNanos,
            long blockedSendingNanos,
            long blockedReceivingNanos,
            long blockedDeadLetterNanos,
            boolean blockedOnDeadLetter) {
        this(
                name,
                workers,
                itemsIn,
                itemsOut,
                busyNanos,
                blockedSendingNanos,
                blockedReceivingNanos,
                blockedDeadLetterNanos,
                blockedOnDeadLetter,
                "");
    }

    /**
     * The counters of a stage that sends no dead letters.
     *
     * @param name the stage's name
     * @param workers the number of worker threads
     * @param itemsIn items taken from the stage's input so far
     * @param itemsOut items sent to the stage's output so far
     * @param busyNanos time the workers were busy
     * @param blockedSendingNanos time spent waiting for room in the output
     * @param blockedReceivingNanos time spent waiting for input
     */
    public StageMetrics(
            String name,
            int workers,
            long itemsIn,
            long itemsOut,
            long busyNanos,
            long blockedSendingNanos,
            long blockedReceivingNanos) {
        this(
                name,
                workers,
                itemsIn,
                itemsOut,
                busyNanos,
                blockedSendingNanos,
                blockedReceivingNanos,
                0,
                false,
                "");
    }
}
