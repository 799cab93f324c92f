package dev.pipeline;

import dev.pipeline.channel.SendResult;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The output of a {@linkplain Pipeline#generateTracked tracked source}: the sends of a {@link
 * dev.pipeline.channel.Sender}, each with the {@link Completion} to call when the item is done
 * downstream. A completion belongs to the send that accepted its item: a send that did not accept
 * it (full, timed out, disconnected, interrupted) never calls it, and the same completion may be
 * passed again with the same item.
 *
 * <p>Used by the source's thread only, like the sender of a {@link SourceBody}.
 *
 * @param <T> the item type
 */
public interface TrackedSender<T> {

    /**
     * Sends {@code item}, waiting for room.
     *
     * @param item the item, not null
     * @param done called once when the item is done downstream
     * @throws InterruptedException if the run is cancelled while waiting (let it propagate)
     * @throws dev.pipeline.channel.ChannelClosedException if every downstream stage has stopped
     *     (let it propagate: the source then stops quietly)
     * @throws NullPointerException if an argument is null
     */
    void send(T item, Completion done) throws InterruptedException;

    /**
     * Sends {@code item}, waiting for room at most {@code timeout}.
     *
     * @param item the item, not null
     * @param done called once when the item is done downstream, if this send accepts it
     * @param timeout the longest wait
     * @return {@link SendResult.Sent}, {@link SendResult.Full} (no room in time) or {@link
     *     SendResult.Disconnected}, the latter two holding {@code item}
     * @throws InterruptedException if the run is cancelled while waiting
     * @throws NullPointerException if an argument is null
     */
    SendResult<T> send(T item, Completion done, Duration timeout) throws InterruptedException;

    /**
     * Sends {@code item} if there is room now.
     *
     * @param item the item, not null
     * @param done called once when the item is done downstream, if this send accepts it
     * @return {@link SendResult.Sent}, {@link SendResult.Full} or {@link SendResult.Disconnected},
     *     the latter two holding {@code item}
     * @throws NullPointerException if an argument is null
     */
    SendResult<T> trySend(T item, Completion done);

    /**
     * Whether every downstream stage has stopped, so no send can succeed again.
     *
     * @return true once the next stage's input is closed
     */
    boolean isDisconnected();

    /**
     * Gives the stage a live one-line status, asked for each metrics snapshot and shown under the
     * stage in the run's report ({@link StageMetrics#status()}): a Kafka source shows its consumer
     * lag per partition, for example. The supplier is called on the thread taking the snapshot,
     * so it must be thread-safe and quick; a later call replaces it.
     *
     * @param status supplies the status line
     * @throws NullPointerException if {@code status} is null
     */
    void status(Supplier<String> status);
}
