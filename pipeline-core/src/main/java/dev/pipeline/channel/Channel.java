package dev.pipeline.channel;

import static com.google.common.base.Preconditions.checkArgument;

import static java.util.Objects.requireNonNull;

import dev.pipeline.internal.channel.ChannelCore;
import dev.pipeline.internal.channel.InternalChannels;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A typed channel between threads: senders put items in, receivers take them out, first in first
 * out per sender.
 *
 * <p>Three flavours, named by their factory:
 *
 * <ul>
 *   <li>{@link #bounded(int)}: holds up to {@code capacity} items; a send waits while it is full
 *       (backpressure). The flavour to use between pipeline stages.
 *   <li>{@link #rendezvous()} (also {@code bounded(0)}): holds nothing; a send completes only when
 *       a receiver takes the item.
 *   <li>{@link #unbounded()}: a send never waits. Opt in knowingly: a slow receiver lets the
 *       channel grow until memory runs out.
 * </ul>
 *
 * <p>A new channel has one open {@link #sender()} and one open {@link #receiver()}; copy them for
 * more producers or consumers. The lifecycle follows Rust's {@code std::sync::mpsc}: when every
 * sender handle is closed the channel closes for receiving (receivers drain what is buffered, then
 * see "closed"); when every receiver handle is closed, sends fail at once and hand their item back.
 *
 * <pre>{@code
 * Channel<String> ch = Channel.bounded(64);
 * Sender<String> tx = ch.sender();
 * Receiver<String> rx = ch.receiver();
 * Thread.startVirtualThread(() -> {
 *     try (tx) {
 *         tx.send("hello");
 *     } catch (InterruptedException e) {
 *         Thread.currentThread().interrupt();
 *     }
 * });
 * for (String s : rx) {         // ends when tx is closed and the channel is drained
 *     System.out.println(s);
 * }
 * }</pre>
 *
 * <p>A channel is thread-safe. Every blocking path parks (never pins a virtual thread's carrier)
 * after a brief spin.
 *
 * <p>Memory consistency effects: as with the queues of {@code java.util.concurrent}, actions in a
 * thread prior to sending an item happen-before actions subsequent to the receipt of that item in
 * another thread. A send is any call that delivers the item: {@link Sender#send(Object)}, {@link
 * Sender#sendAll}, {@link Sender#trySend} or {@link Sender#send(Object, java.time.Duration)}
 * returning {@link SendResult.Sent}, or a {@link Select} send clause that completes. A receipt is
 * any call that returns it: {@link Receiver#receive()}, {@link Receiver#tryReceive()} or {@link
 * Receiver#receive(java.time.Duration)} returning {@link ReceiveResult.Received}, {@link
 * Receiver#receiveBatch}, {@link Receiver#drainTo}, iteration, {@link Receiver#stream()}, or a
 * {@code Select} receive clause. Actions in a thread prior to closing a sender handle ({@link
 * Sender#close()}) happen-before actions subsequent to a receive in another thread that reports
 * the channel closed because every sender handle was closed ({@link ChannelClosedException},
 * {@link ReceiveResult.Closed}, the end of an iteration); actions prior to {@link Sender#fail}
 * happen-before actions subsequent to a receive that reports that call's cause. On a rendezvous
 * channel the hand-off also orders the other way: actions in the receiving thread prior to the
 * receive that takes an item happen-before the return of the send (or select) that sent it.
 *
 * @param <E> the item type
 */
public final class Channel<E> {

    /** The {@linkplain #capacity() capacity} reported by an unbounded channel. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ChannelCore<E> core;

    // The original handles are held strongly only until they are first asked for: after that the
    // caller owns them, so one dropped while open can be found by the leak report.
    private final WeakReference<Sender<E>> originalSender;
    private final WeakReference<Receiver<E>> originalReceiver;
    private volatile Sender<E> unclaimedSender;
    private volatile Receiver<E> unclaimedReceiver;

    static {
        InternalChannels.install(
                new InternalChannels.Factory() {
                    @Override
                    public <E> Channel<E> singleProducerSingleConsumer(int capacity, String name) {
                        checkArgument(
                                capacity > 0 && capacity != UNBOUNDED, "capacity %s", capacity);
                        return new Channel<>(requireNonNull(name, "name"), capacity, Kind.RUN_SPSC);
                    }

                    @Override
                    public <E> Channel<E> runOwned(int capacity, String name) {
                        checkArgument(
                                capacity >= 0 && capacity != UNBOUNDED, "capacity %s", capacity);
                        return new Channel<>(requireNonNull(name, "name"), capacity, Kind.RUN);
                    }
                });
    }

    /** Who a channel is for. */
    private enum Kind {
        /** A user's: its original handles are watched for leaks. */
        USER,
        /** A run's own: not watched, since the run closes every handle it opens. */
        RUN,
        /** A run's own, for one sending and one receiving thread. */
        RUN_SPSC
    }

    private Channel(String name, int capacity) {
        this(name, capacity, Kind.USER);
    }

    /** A channel with its two original handles open. */
    private Channel(String name, int capacity, Kind kind) {
        this.core =
                kind == Kind.RUN_SPSC
                        ? ChannelCore.createSingleProducerSingleConsumer(this, name, capacity)
                        : ChannelCore.create(this, name, capacity);
        Sender<E> tx = kind == Kind.USER ? core.newSender() : core.newUnwatchedSender();
        Receiver<E> rx = kind == Kind.USER ? core.newReceiver() : core.newUnwatchedReceiver();
        this.unclaimedSender = tx;
        this.unclaimedReceiver = rx;
        this.originalSender = new WeakReference<>(tx);
        this.originalReceiver = new WeakReference<>(rx);
    }

    /**
     * Creates a bounded channel holding up to {@code capacity} items; {@code 0} makes a rendezvous
     * channel.
     *
     * @param capacity the number of items buffered, at least 0
     * @param <E> the item type
     * @return the channel, with one open sender and one open receiver
     * @throws IllegalArgumentException if {@code capacity < 0} or is {@link #UNBOUNDED} (use {@link
     *     #unbounded()})
     */
    public static <E> Channel<E> bounded(int capacity) {
        return bounded(capacity, nextName());
    }

    /**
     * Creates a named bounded channel; the name appears in errors, logs and stats.
     *
     * @param capacity the number of items buffered, at least 0 ({@code 0}: rendezvous)
     * @param name the channel's name, not null
     * @param <E> the item type
     * @return the channel, with one open sender and one open receiver
     * @throws IllegalArgumentException if {@code capacity < 0} or is {@link #UNBOUNDED} (use {@link
     *     #unbounded()})
     */
    public static <E> Channel<E> bounded(int capacity, String name) {
        checkArgument(capacity >= 0, "capacity must be >= 0 but was %s", capacity);
        checkArgument(capacity != UNBOUNDED, "use Channel.unbounded() for an unbounded channel");
        return new Channel<>(requireNonNull(name, "name"), capacity);
    }

    /**
     * Creates a rendezvous channel: it buffers nothing, and a send completes only when a receiver
     * takes the item.
     *
     * @param <E> the item type
     * @return the channel, with one open sender and one open receiver
     */
    public static <E> Channel<E> rendezvous() {
        return bounded(0);
    }

    /**
     * Creates a named rendezvous channel.
     *
     * @param name the channel's name, not null
     * @param <E> the item type
     * @return the channel, with one open sender and one open receiver
     */
    public static <E> Channel<E> rendezvous(String name) {
        return bounded(0, name);
    }

    /**
     * Creates an unbounded channel: a send never waits. A memory risk: nothing holds a fast producer
     * back, so prefer {@link #bounded(int)} unless the producer is known to be slower.
     *
     * @param <E> the item type
     * @return the channel, with one open sender and one open receiver
     */
    public static <E> Channel<E> unbounded() {
        return unbounded(nextName());
    }

    /**
     * Creates a named unbounded channel.
     *
     * @param name the channel's name, not null
     * @param <E> the item type
     * @return the channel, with one open sender and one open receiver
     */
    public static <E> Channel<E> unbounded(String name) {
        return new Channel<>(requireNonNull(name, "name"), UNBOUNDED);
    }

    /**
     * The channel's original sender handle; use {@link Sender#copy()} for more. Ask for it once and
     * keep it: from this call on the caller owns the handle, and the channel no longer keeps it
     * reachable, so if it is dropped while open it is reported and closed (see {@link Sender}).
     * Asking again returns the same handle while it is reachable, else a closed handle.
     *
     * @return the original sender (closed once it was closed or dropped)
     */
    public Sender<E> sender() {
        Sender<E> tx = originalSender.get();
        unclaimedSender = null;
        return tx != null ? tx : core.closedSender();
    }

    /**
     * The channel's original receiver handle; use {@link Receiver#copy()} for more. As for {@link
     * #sender()}, the caller owns it from this call on.
     *
     * @return the original receiver (closed once it was closed or dropped)
     */
    public Receiver<E> receiver() {
        Receiver<E> rx = originalReceiver.get();
        unclaimedReceiver = null;
        return rx != null ? rx : core.closedReceiver();
    }

    /**
     * The channel's name.
     *
     * @return the name given at creation, or a generated {@code channel-N}
     */
    public String name() {
        return core.name();
    }

    /**
     * The capacity: items buffered at most; 0 for rendezvous, {@link #UNBOUNDED} for unbounded.
     *
     * @return the capacity
     */
    public int capacity() {
        return core.capacity();
    }

    /**
     * The number of items buffered now (a snapshot under concurrency).
     *
     * @return the number of buffered items
     */
    public long length() {
        return core.length();
    }

    /**
     * A snapshot of the channel's counters.
     *
     * @return the stats
     */
    public ChannelStats stats() {
        return core.stats();
    }

    @Override
    public String toString() {
        return "Channel[" + core.name() + ", capacity " + describeCapacity(core.capacity()) + "]";
    }

    private static String describeCapacity(int capacity) {
        return capacity == UNBOUNDED ? "unbounded" : Integer.toString(capacity);
    }

    private static String nextName() {
        return "channel-" + SEQUENCE.incrementAndGet();
    }
}
