package dev.pipeline.channel;

import java.time.Duration;

/**
 * The sending side of a {@link Channel}. Each producer thread should use its own handle, made with
 * {@link #copy()}; the channel closes for receiving when every handle is closed.
 *
 * <table class="striped">
 *   <caption>Forms of send</caption>
 *   <tr><th>method</th><th>when full</th><th>when no receiver is left</th><th>interrupted</th></tr>
 *   <tr><td>{@link #send(Object)}</td><td>blocks</td><td>throws {@link ChannelClosedException}
 *       with the item</td><td>throws {@link InterruptedException}, nothing sent</td></tr>
 *   <tr><td>{@link #send(Object, Duration)}</td><td>blocks up to the timeout, then {@link
 *       SendResult.Full}</td><td>{@link SendResult.Disconnected} with the item</td><td>throws {@link
 *       InterruptedException}, nothing sent</td></tr>
 *   <tr><td>{@link #trySend(Object)}</td><td>{@link SendResult.Full} at once</td><td>{@link
 *       SendResult.Disconnected} with the item</td><td>not affected</td></tr>
 *   <tr><td>{@link #sendAll(Iterable)}</td><td>blocks per item</td><td>throws {@link
 *       ChannelClosedException} with the unsent items</td><td>throws {@link
 *       InterruptedException}; earlier items were sent</td></tr>
 * </table>
 *
 * <p>Every form throws {@link NullPointerException} for a null item and {@link
 * IllegalStateException} (naming the channel) when this handle was closed. Items sent through one
 * handle are received in the order they were sent. A call that does not need to wait completes even
 * if the thread's interrupt flag is set (the flag stays set).
 *
 * <p>A handle is safe to use from several threads, but one handle per thread is the intended use.
 * A handle that becomes unreachable while still open is reported (an SLF4J warning naming where it
 * was created) and then closed, so a forgotten sender is found instead of hanging the receivers.
 *
 * <p>Memory consistency effects: actions in a thread prior to sending an item ({@link
 * #send(Object)}, {@link #sendAll}, {@link #trySend} or {@link #send(Object, Duration)} returning
 * {@link SendResult.Sent}, or a {@link Select} send clause that completes) happen-before actions
 * subsequent to the receipt of that item by a {@link Receiver} in another thread. Actions in a
 * thread prior to {@link #close()} happen-before actions subsequent to a receive in another thread
 * that reports the channel closed because every sender handle was closed. Actions prior to {@link
 * #fail} happen-before actions subsequent to a receive in another thread that reports that call's
 * cause (the first failure wins: a later {@code fail} is not reported and has no such edge). On a
 * rendezvous channel, actions in the receiving thread prior to the receive that takes the item
 * happen-before the send returns: the send returns only once that receiver has the item.
 *
 * @param <E> the item type
 */
public interface Sender<E> extends AutoCloseable {

    /**
     * Sends an item, waiting while the channel is full. For a rendezvous channel, returns only once
     * a receiver has taken the item.
     *
     * @param item the item, not null
     * @throws InterruptedException if interrupted while waiting; the item was not sent
     * @throws ChannelClosedException if every receiver is closed or the channel was failed; the item
     *     is handed back in {@link ChannelClosedException#unsent()}
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if this handle is closed
     */
    void send(E item) throws InterruptedException;

    /**
     * Sends an item if there is room now, without waiting.
     *
     * <p>The answer is linearizable: {@link SendResult.Full} only if the channel was full at some
     * instant of the call (a receiver halfway through taking an item is waited for, briefly, not
     * reported as "full"); {@link SendResult.Sent} means the item is in the channel and will be
     * received or, if every receiver closes first, released with the buffer. On a rendezvous
     * channel "room" is a receiver waiting in a receive or a select: the item is handed to it
     * atomically against its timeout, interrupt or other select clause, so {@code Sent} means that
     * receiver has taken the item; with no receiver waiting (or only one still spinning before it
     * parks) the answer is {@code Full}.
     *
     * @param item the item, not null
     * @return {@link SendResult.Sent}, {@link SendResult.Full} or {@link SendResult.Disconnected}
     *     (the last two hand the item back)
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if this handle is closed
     */
    SendResult<E> trySend(E item);

    /**
     * Sends an item, waiting at most {@code timeout} for room.
     *
     * @param item the item, not null
     * @param timeout the longest time to wait; zero or negative means try once without waiting, as
     *     {@link #trySend}; a timeout beyond about 292 years means no limit
     * @return {@link SendResult.Sent}; {@link SendResult.Full} if the timeout passed first; {@link
     *     SendResult.Disconnected} if no receiver is left
     * @throws InterruptedException if interrupted while waiting; the item was not sent
     * @throws NullPointerException if {@code item} or {@code timeout} is null
     * @throws IllegalStateException if this handle is closed
     */
    SendResult<E> send(E item, Duration timeout) throws InterruptedException;

    /**
     * Sends every item in order, waiting for room as needed: the batch form of {@link
     * #send(Object)}.
     *
     * @param items the items; none may be null (checked before any is sent)
     * @return the number of items sent
     * @throws InterruptedException if interrupted while waiting; the items before the one being sent
     *     were sent, the rest were not
     * @throws ChannelClosedException if no receiver is left; {@link ChannelClosedException#unsent()}
     *     holds the {@code List} of items not sent
     * @throws NullPointerException if {@code items} or any item is null
     * @throws IllegalStateException if this handle is closed
     */
    int sendAll(Iterable<? extends E> items) throws InterruptedException;

    /**
     * Returns a new, open sender handle on the same channel; the channel stays open for receiving
     * until this one is closed too.
     *
     * @return the new handle
     * @throws IllegalStateException if this handle is closed
     */
    Sender<E> copy();

    /**
     * Closes this handle. When it is the last open sender, the channel closes for receiving:
     * receivers drain the buffered items and then see "closed". Closing twice is harmless.
     */
    @Override
    void close();

    /**
     * Closes this handle and the channel with an error: every other sender's send fails from now on,
     * and receivers see {@code cause} (as the cause of {@link ChannelClosedException}, or in {@link
     * ReceiveResult.Closed}) after the items already buffered. The first failure wins.
     *
     * @param cause the error, not null
     * @throws IllegalStateException if this handle is already closed
     */
    void fail(Throwable cause);

    /**
     * Whether this handle is closed.
     *
     * @return {@code true} if this handle is closed
     */
    boolean isClosed();

    /**
     * Whether every receiver is closed or the channel was failed, so that no send can succeed. A
     * cheap check for producers that want to stop early.
     *
     * @return {@code true} if no send can succeed any more
     */
    boolean isDisconnected();

    /**
     * The channel this handle sends to.
     *
     * @return the channel
     */
    Channel<E> channel();
}
