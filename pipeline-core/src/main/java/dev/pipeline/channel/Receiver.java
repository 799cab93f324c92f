package dev.pipeline.channel;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The receiving side of a {@link Channel}. Copies made with {@link #copy()} share the channel's
 * items: each item goes to exactly one receiver, so several worker threads can split the work
 * without a lock around the receiver.
 *
 * <table class="striped">
 *   <caption>Forms of receive</caption>
 *   <tr><th>method</th><th>when empty</th><th>when closed and drained</th><th>interrupted</th></tr>
 *   <tr><td>{@link #receive()}</td><td>blocks</td><td>throws {@link ChannelClosedException}
 *       (cause: the channel's failure, if any)</td><td>throws {@link InterruptedException}, nothing
 *       taken</td></tr>
 *   <tr><td>{@link #receive(Duration)}</td><td>blocks up to the timeout, then {@link
 *       ReceiveResult.Empty}</td><td>{@link ReceiveResult.Closed}</td><td>throws {@link
 *       InterruptedException}, nothing taken</td></tr>
 *   <tr><td>{@link #tryReceive()}</td><td>{@link ReceiveResult.Empty} at once</td><td>{@link
 *       ReceiveResult.Closed}</td><td>not affected</td></tr>
 *   <tr><td>{@link #receiveBatch(int)}</td><td>blocks until at least one</td><td>throws {@link
 *       ChannelClosedException}</td><td>throws {@link InterruptedException}, nothing taken</td></tr>
 *   <tr><td>{@link #drainTo(Collection, int)}</td><td>returns 0 at once</td><td>returns 0</td><td>not
 *       affected</td></tr>
 *   <tr><td>iteration, {@link #stream()}</td><td>blocks</td><td>ends (throws {@link
 *       ChannelClosedException} if the channel was failed)</td><td>throws {@link
 *       ChannelInterruptedException}, nothing taken</td></tr>
 * </table>
 *
 * <p>After every sender has closed, receivers still get every buffered item before they see
 * "closed". Using a closed handle throws {@link IllegalStateException} naming the channel.
 *
 * <p>Memory consistency effects: actions in a thread prior to sending an item happen-before
 * actions subsequent to its receipt in another thread, by any form of receive: {@link #receive()},
 * {@link #tryReceive()} or {@link #receive(Duration)} returning {@link ReceiveResult.Received},
 * {@link #receiveBatch}, {@link #drainTo}, iteration, {@link #stream()}, or a {@link Select}
 * receive clause. Actions in a thread prior to closing a sender handle ({@link Sender#close()})
 * happen-before actions subsequent to a receive in another thread that reports the channel closed
 * because every sender handle was closed ({@link ChannelClosedException}, {@link
 * ReceiveResult.Closed}, the end of an iteration); actions prior to {@link Sender#fail}
 * happen-before actions subsequent to a receive that reports that call's cause. On a rendezvous
 * channel, actions in a thread prior to the receive that takes an item happen-before the return of
 * the send (or select) that sent it in another thread.
 *
 * <pre>{@code
 * for (String line : rx) {      // ends when every sender is closed and the channel is drained
 *     System.out.println(line);
 * }
 * }</pre>
 *
 * @param <E> the item type
 */
public interface Receiver<E> extends Iterable<E>, AutoCloseable {

    /**
     * Takes the next item, waiting while the channel is empty.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     * @throws ChannelClosedException if every sender is closed and the channel is drained; its cause
     *     is the channel's failure, if it was failed
     * @throws IllegalStateException if this handle is closed
     */
    E receive() throws InterruptedException;

    /**
     * Takes an item if one is available now, without waiting.
     *
     * <p>The answer is linearizable: {@link ReceiveResult.Empty} only if the channel held no item
     * at some instant of the call. An item whose sender has claimed its place but not yet
     * published it is in the channel already: this call waits for it (a few instructions of the
     * sender, or a yield if the sender was preempted) instead of saying "empty". On a rendezvous
     * channel an item is available when a sender is blocked in {@code send} with it.
     *
     * @return {@link ReceiveResult.Received}, {@link ReceiveResult.Empty} or {@link
     *     ReceiveResult.Closed}
     * @throws IllegalStateException if this handle is closed
     */
    ReceiveResult<E> tryReceive();

    /**
     * Takes the next item, waiting at most {@code timeout}.
     *
     * @param timeout the longest time to wait; zero or negative means try once without waiting, as
     *     {@link #tryReceive}; a timeout beyond about 292 years means no limit
     * @return {@link ReceiveResult.Received}; {@link ReceiveResult.Empty} if the timeout passed
     *     first; {@link ReceiveResult.Closed} if every sender is closed and the channel is drained
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if this handle is closed
     */
    ReceiveResult<E> receive(Duration timeout) throws InterruptedException;

    /**
     * Waits for at least one item, then takes up to {@code maxItems} of those available: the way to
     * amortise hand-offs when the channel holds several items.
     *
     * @param maxItems the most items to take, at least 1
     * @return the items taken, in channel order; never empty
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     * @throws ChannelClosedException if every sender is closed and the channel is drained
     * @throws IllegalArgumentException if {@code maxItems < 1}
     * @throws IllegalStateException if this handle is closed
     */
    List<E> receiveBatch(int maxItems) throws InterruptedException;

    /**
     * Moves up to {@code maxItems} of the items available now into {@code sink}, without waiting.
     *
     * @param sink where the items go, in channel order
     * @param maxItems the most items to move, at least 0
     * @return how many were moved; 0 only if the channel was empty (or closed) at some instant of
     *     the call, as for {@link #tryReceive}
     * @throws IllegalArgumentException if {@code maxItems < 0}
     * @throws NullPointerException if {@code sink} is null
     * @throws IllegalStateException if this handle is closed
     */
    int drainTo(Collection<? super E> sink, int maxItems);

    /**
     * Returns a new, open receiver handle on the same channel. Each item goes to exactly one of the
     * receivers.
     *
     * @return the new handle
     * @throws IllegalStateException if this handle is closed
     */
    Receiver<E> copy();

    /**
     * Closes this handle. When it is the last open receiver, nobody can receive again: the items
     * still buffered are released at once (dropped, so they are no longer referenced by the
     * channel, even while senders live), and every waiting and later send fails and hands its item
     * back ({@link ChannelClosedException#unsent()}, {@link SendResult.Disconnected}). A send that
     * completes while the close is under way was ordered before it: its item is released with the
     * others. Closing twice is harmless.
     */
    @Override
    void close();

    /**
     * Whether this handle is closed.
     *
     * @return {@code true} if this handle is closed
     */
    boolean isClosed();

    /**
     * Whether every sender is closed and the channel is drained, so no receive can return an item.
     *
     * @return {@code true} if the channel is closed and drained
     */
    boolean isClosedForReceiving();

    /**
     * A blocking iterator over the items: {@code hasNext()} waits for the next item and returns
     * false once the channel is closed and drained. If the channel was failed, {@code hasNext()}
     * throws {@link ChannelClosedException} with the failure as its cause after the buffered items.
     * An interrupt while waiting throws {@link ChannelInterruptedException}.
     */
    @Override
    Iterator<E> iterator();

    /**
     * A sequential stream of the items, ending when the channel is closed and drained; same rules as
     * {@link #iterator()}. Short-circuiting operations ({@code limit}, {@code findFirst}) stop
     * receiving; they do not close this handle.
     *
     * @return a sequential stream that receives as it is consumed
     */
    Stream<E> stream();

    /**
     * The channel this handle receives from.
     *
     * @return the channel
     */
    Channel<E> channel();
}
