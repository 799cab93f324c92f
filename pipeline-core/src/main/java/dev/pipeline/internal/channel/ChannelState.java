package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.ChannelStats;
import dev.pipeline.channel.Sender;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a channel is, whatever its flavour: its identity, its open handles on each side, its
 * closure and failure (the {@code state} bits), the run that owns it, and its counters. {@link
 * ChannelCore} builds the movement of items on it; the two are one object (a subclass, so the
 * blocking paths read the state with no extra indirection).
 *
 * <p>Invariants: {@code state} bits only ever get set; {@code openSenders} and {@code
 * openReceivers} never rise from 0 (a copy needs an open handle); the first failure wins.
 *
 * @param <E> the item type
 */
public abstract class ChannelState<E> {

    /** Every sender closed, or the channel failed: receivers drain, then see "closed". */
    static final int SENDERS_DONE = 1;

    /** Every receiver closed: sends fail. */
    static final int RECEIVERS_DONE = 2;

    /** Failed by {@link Sender#fail}: sends fail, receivers see the cause after the items. */
    static final int FAILED = 4;

    private static final VarHandle STATE;
    private static final VarHandle OPEN_SENDERS;
    private static final VarHandle OPEN_RECEIVERS;
    private static final VarHandle FAILURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ChannelState.class, "state", int.class);
            OPEN_SENDERS = l.findVarHandle(ChannelState.class, "openSenders", int.class);
            OPEN_RECEIVERS = l.findVarHandle(ChannelState.class, "openReceivers", int.class);
            FAILURE = l.findVarHandle(ChannelState.class, "failure", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Channel<E> channel;
    private final String name;
    private final int capacity;

    final WaitQueue receiveWaiters = new WaitQueue();
    final WaitQueue sendWaiters = new WaitQueue();

    private volatile int state;
    private volatile int openSenders;
    private volatile int openReceivers;
    private volatile Throwable failure;

    private final AtomicLong sendBlockedNanos = new AtomicLong();
    private final AtomicLong receiveBlockedNanos = new AtomicLong();
    private final AtomicLong releasedItems = new AtomicLong();
    volatile long highWaterMark;

    /**
     * The run that created this channel for its own use, or null for a user's channel: a closure
     * exception of a run's channel is a {@link RunChannelClosedException} naming that run, so the
     * run can tell its own signals from a user's. Set before the channel's handles reach another
     * thread (the run starts its threads after wiring).
     */
    private Object owner;

    ChannelState(Channel<E> channel, String name, int capacity) {
        this.channel = channel;
        this.name = name;
        this.capacity = capacity;
    }

    // ---------------------------------------------------------------- what a flavour supplies

    /**
     * Dequeues without waiting; null only when the channel was empty at some instant of the call
     * (linearizable, ADR 13). Returns the item, unwrapped.
     */
    abstract E poll();

    /** Items accepted so far. */
    abstract long sentCount();

    /** Items taken so far. */
    abstract long receivedCount();

    /** Items buffered now. */
    public abstract long length();

    // ---------------------------------------------------------------- identity, handles

    /** The public channel this core implements. */
    public final Channel<E> channel() {
        return channel;
    }

    /** The channel's name. */
    public final String name() {
        return name;
    }

    /** The channel's capacity (0: rendezvous, {@link Channel#UNBOUNDED}: unbounded). */
    public final int capacity() {
        return capacity;
    }

    /** Counts a sender handle opened; the caller holds an open handle (or creates the channel). */
    final void senderOpened() {
        OPEN_SENDERS.getAndAdd(this, 1);
    }

    /** Counts a receiver handle opened; as for {@link #senderOpened}. */
    final void receiverOpened() {
        OPEN_RECEIVERS.getAndAdd(this, 1);
    }

    final void senderClosed() {
        if ((int) OPEN_SENDERS.getAndAdd(this, -1) == 1) {
            setState(SENDERS_DONE);
            receiveWaiters.wakeAll();
            if (openReceivers == 0) {
                bothSidesClosed();
            }
        }
    }

    final void receiverClosed() {
        if ((int) OPEN_RECEIVERS.getAndAdd(this, -1) == 1) {
            receiversGone();
            if (openSenders == 0) {
                bothSidesClosed();
            }
        }
    }

    /**
     * No receiver will take another item: the last one closed, or the run {@linkplain #abandon
     * abandoned} the channel. Once: sets {@code RECEIVERS_DONE}, drops the buffer, wakes blocked
     * senders (they see "disconnected") and receivers (they see "closed"), then tells the run
     * ({@link #onReceiversGone}).
     */
    private void receiversGone() {
        if (!setState(RECEIVERS_DONE)) {
            return;
        }
        releaseBuffered();
        sendWaiters.wakeAll();
        receiveWaiters.wakeAll();
        handoffDisconnected();
        Runnable hook = receiversGoneHook;
        if (hook != null) {
            hook.run();
        }
    }

    /**
     * Ends the channel as if its last receiver had closed, though the receivers' handles stay
     * open: their waits and takes answer "closed" from now on. For a run whose reader stage will
     * never read again because its own output has no reader left (ADR 19's stop that travels
     * upstream); the handles are closed later by the reader's teardown as usual.
     */
    final void abandon() {
        receiversGone();
    }

    /** Told once when no receiver will take another item; set before the handles are shared. */
    private Runnable receiversGoneHook;

    /** Sets {@link #receiversGoneHook}; call before the channel's handles reach other threads. */
    final void onReceiversGone(Runnable hook) {
        receiversGoneHook = hook;
    }

    /**
     * Called once every handle of both sides is closed (possibly twice, by the last closes of
     * both sides at once): no thread sends or receives on this channel again. Neither count rises
     * from 0 (a copy needs an open handle), and each is a volatile write before the other's read,
     * so at least one of the two last closes sees both at 0.
     */
    void bothSidesClosed() {}

    /** A rendezvous wakes senders waiting for their item to be taken. */
    void handoffDisconnected() {}

    /**
     * Drops every buffered item (ADR 13), once, when the last receiver closes (after the {@code
     * RECEIVERS_DONE} bit is set, before blocked senders are woken). A flavour makes sure that an
     * offer racing with it either lands before the drop (and is dropped) or fails (and its sender
     * sees "disconnected"): the ring closes its {@code tail} to claims, the unbounded queue's
     * senders drop what they find after their offer. The default does nothing: a rendezvous
     * buffers nothing, and a single-consumer channel must not be polled by a second thread.
     */
    void releaseBuffered() {}

    /** Takes and drops every item {@link #poll} finds, counting them as released, not received. */
    final void pollAndDropAll() {
        long n = 0;
        while (poll() != null) {
            n++;
        }
        if (n > 0) {
            releasedItems.addAndGet(n);
        }
    }

    /**
     * Whether every receiver has closed, or the run {@linkplain #abandon abandoned} the channel:
     * the buffer is released, sends fail, and waiting receives answer "closed".
     */
    final boolean receiversDone() {
        return (state & RECEIVERS_DONE) != 0;
    }

    /** Fails the channel with {@code cause}; the first failure wins. */
    final void fail(Throwable cause) {
        FAILURE.compareAndSet(this, null, cause);
        setState(SENDERS_DONE | FAILED);
        receiveWaiters.wakeAll();
        sendWaiters.wakeAll();
        handoffDisconnected();
    }

    /** Sets {@code bits}; returns whether this call set them (false: they were set already). */
    private boolean setState(int bits) {
        int s;
        do {
            s = state;
            if ((s & bits) == bits) {
                return false;
            }
        } while (!STATE.compareAndSet(this, s, s | bits));
        return true;
    }

    /** Whether no send can succeed: every receiver closed, or the channel failed. */
    final boolean disconnected() {
        return (state & (RECEIVERS_DONE | FAILED)) != 0;
    }

    /** Whether every sender closed (or the channel failed). */
    final boolean sendersDone() {
        return (state & SENDERS_DONE) != 0;
    }

    final Throwable failure() {
        return failure;
    }

    /** Adds time a receiver spent blocked (nothing when {@code nanos} is 0: it only spun). */
    final void addReceiveBlockedNanos(long nanos) {
        if (nanos != 0L) {
            receiveBlockedNanos.addAndGet(nanos);
        }
    }

    /** Adds time a sender spent blocked (nothing when {@code nanos} is 0: it only spun). */
    final void addSendBlockedNanos(long nanos) {
        if (nanos != 0L) {
            sendBlockedNanos.addAndGet(nanos);
        }
    }

    final ChannelClosedException disconnectedException(Object unsent) {
        Throwable cause = failure;
        String why = cause != null ? "was failed" : "has no receiver left";
        return closed("cannot send: channel '" + name + "' " + why, unsent, cause);
    }

    final ChannelClosedException closedException() {
        Throwable cause = failure;
        String why = cause != null ? "was failed: " + cause : "is closed";
        return closed("cannot receive: channel '" + name + "' " + why, null, cause);
    }

    private ChannelClosedException closed(String message, Object unsent, Throwable cause) {
        Object run = owner;
        return run == null
                ? new ChannelClosedException(message, name, unsent, cause)
                : new RunChannelClosedException(message, name, unsent, cause, run);
    }

    /** Marks this channel as {@code run}'s own (see {@link #owner}). */
    final void ownedBy(Object run) {
        owner = run;
    }

    // ---------------------------------------------------------------- insight

    /** Records a sampled length for the high-water mark. */
    final void sampleLength(long length) {
        if (length > highWaterMark) {
            highWaterMark = length;
        }
    }

    /** A snapshot of the counters. */
    public final ChannelStats stats() {
        long received = receivedCount() - releasedItems.get();
        long sent = sentCount();
        long length = length();
        return new ChannelStats(
                name,
                capacity,
                length,
                Math.max(highWaterMark, length),
                sent,
                received,
                sendBlockedNanos.get(),
                receiveBlockedNanos.get(),
                openSenders,
                openReceivers,
                (state & FAILED) != 0);
    }

    @Override
    public String toString() {
        return "channel '" + name + "'";
    }
}
