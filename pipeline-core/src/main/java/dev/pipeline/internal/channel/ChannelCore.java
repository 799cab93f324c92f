package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;

/**
 * How items move through a channel, whatever its flavour: the blocking, timed and non-blocking send
 * and receive, the chunked operations of the runtime, and waking. A flavour supplies the
 * non-blocking {@link #offer} and {@link #poll} and two volatile "something is in flight" checks
 * used when re-checking after registering as a waiter; what the channel <em>is</em> (its handles,
 * closure, failure and counters) is {@link ChannelState}.
 *
 * <p>Waiting follows the one {@link WaitPolicy} (spin, yield, park on a {@link WaitQueue}),
 * adapting the virtual spin per channel side. Time is counted as "blocked" from the first yield
 * (or park) on.
 *
 * <p>Invariant: an item accepted by {@code offer} is returned by exactly one {@code poll}, or stays
 * in the channel (until the last receiver closes and the buffer is released).
 *
 * @param <E> the item type
 */
public abstract class ChannelCore<E> extends ChannelState<E> {

    /** Internal marker results of the slow paths. */
    static final Object CLOSED = new Object();

    static final Object TIMED_OUT = new Object();

    static final int SENT = 0;
    static final int FULL = 1;
    static final int DISCONNECTED = 2;

    /**
     * The spin phase of the next virtual-thread receiver and sender that wait, adapted to how such
     * waits ended ({@link WaitPolicy#adapt}). Read and written racily: a heuristic, any value in
     * [{@link WaitPolicy#MIN_VIRTUAL_SPINS}, {@link WaitPolicy#VIRTUAL_SPINS}] is correct.
     */
    private int receiveSpins = WaitPolicy.VIRTUAL_SPINS;

    private int sendSpins = WaitPolicy.VIRTUAL_SPINS;

    ChannelCore(Channel<E> channel, String name, int capacity) {
        super(channel, name, capacity);
    }

    /**
     * Creates the core for a channel of the given capacity: 0 is a rendezvous, {@link
     * Channel#UNBOUNDED} an unbounded channel, anything else a bounded ring.
     */
    public static <E> ChannelCore<E> create(Channel<E> channel, String name, int capacity) {
        if (capacity == 0) {
            return new RendezvousChannel<>(channel, name);
        }
        if (capacity == Channel.UNBOUNDED) {
            return new UnboundedChannel<>(channel, name);
        }
        return new RingChannel<>(channel, name, capacity);
    }

    /**
     * Creates the core of a bounded channel that one thread sends on and one thread receives from
     * ({@link SpscRingChannel}); for the runtime's own edges only (see {@link InternalChannels}).
     */
    public static <E> ChannelCore<E> createSingleProducerSingleConsumer(
            Channel<E> channel, String name, int capacity) {
        return new SpscRingChannel<>(channel, name, capacity);
    }

    // ---------------------------------------------------------------- handles

    /**
     * Opens a new sender handle, watched for leaks (dropping it while open is reported and closes
     * it); the caller holds an open handle (or creates the channel).
     */
    public final Sender<E> newSender() {
        senderOpened();
        return new SenderHandle<>(this, HandleState.Start.WATCHED);
    }

    /**
     * Opens a new sender handle that is not watched for leaks (no stack capture, no cleaner): for
     * a handle the runtime opens and always closes itself.
     */
    public final Sender<E> newUnwatchedSender() {
        senderOpened();
        return new SenderHandle<>(this, HandleState.Start.UNWATCHED);
    }

    /** Opens a new receiver handle, watched for leaks (as {@link #newSender()}). */
    public final Receiver<E> newReceiver() {
        receiverOpened();
        return new ReceiverHandle<>(this, HandleState.Start.WATCHED);
    }

    /** Opens a new receiver handle that is not watched (as {@link #newUnwatchedSender()}). */
    public final Receiver<E> newUnwatchedReceiver() {
        receiverOpened();
        return new ReceiverHandle<>(this, HandleState.Start.UNWATCHED);
    }

    /** A sender handle that is already closed (for a dropped original). */
    public final Sender<E> closedSender() {
        return new SenderHandle<>(this, HandleState.Start.CLOSED);
    }

    /** A receiver handle that is already closed (for a dropped original). */
    public final Receiver<E> closedReceiver() {
        return new ReceiverHandle<>(this, HandleState.Start.CLOSED);
    }

    // ---------------------------------------------------------------- flavour hooks

    /**
     * Enqueues without waiting; false only when the channel was full at some instant of the call
     * (linearizable, ADR 13). {@code element} is not null.
     */
    abstract boolean offer(Object element);

    /**
     * {@link #offer} for a loop that waits anyway: may also fail while room is on its way (a slot
     * being freed), which the loop's {@link #spacePending} re-check covers. The ring skips the
     * read of the consumers' index that an exact "full" needs; the default is {@link #offer}.
     */
    boolean offerReady(Object element) {
        return offer(element);
    }

    /**
     * {@link #poll} for a loop that waits anyway: may also return null while an item is on its
     * way (claimed, not yet published), which the loop's {@link #itemPending} re-check covers. The
     * ring skips the read of the producers' index that an exact "empty" needs; the default is
     * {@link #poll}.
     */
    E pollReady() {
        return poll();
    }

    /**
     * Volatile check, after registering as a receive waiter: an item may be on its way (enqueued
     * or claimed but not yet visible to {@link #poll}), so do not park.
     */
    abstract boolean itemPending();

    /** Volatile check, after registering as a send waiter: room may be on its way, do not park. */
    abstract boolean spacePending();

    /** Called after a receive waiter registered; a rendezvous wakes select senders here. */
    void receiverWaiting() {}

    // ---------------------------------------------------------------- send

    void send(E item) throws InterruptedException {
        if (disconnected()) {
            throw disconnectedException(item);
        }
        if (offerReady(item)) {
            afterOffer();
            return;
        }
        if (awaitSend(item, false, 0L) == DISCONNECTED) {
            throw disconnectedException(item);
        }
    }

    SendResult<E> trySend(E item) {
        if (disconnected()) {
            return new SendResult.Disconnected<>(item);
        }
        if (offer(item)) {
            afterOffer();
            return SendResult.sent();
        }
        highWaterMark = capacity();
        return disconnected() ? new SendResult.Disconnected<>(item) : new SendResult.Full<>(item);
    }

    SendResult<E> send(E item, long timeoutNanos) throws InterruptedException {
        if (disconnected()) {
            return new SendResult.Disconnected<>(item);
        }
        if (offer(item)) {
            afterOffer();
            return SendResult.sent();
        }
        return switch (awaitSend(item, true, timeoutNanos)) {
            case SENT -> SendResult.sent();
            case FULL -> new SendResult.Full<>(item);
            default -> new SendResult.Disconnected<>(item);
        };
    }

    /** After a successful offer: wake a receiver if one waits (a volatile read when none does). */
    final void afterOffer() {
        if (receiveWaiters.count != 0) {
            receiveWaiters.wakeOne();
        }
    }

    /**
     * The send slow path: spin, yield, then park until {@code element} is enqueued, the channel is
     * disconnected, or (if timed) the time is up. Returns SENT, FULL (timed out) or DISCONNECTED.
     */
    final int awaitSend(Object element, boolean timed, long nanos) throws InterruptedException {
        if (timed && nanos <= 0L) {
            return disconnected() ? DISCONNECTED : FULL;
        }
        highWaterMark = capacity();
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        // only the first waiter spins: with senders already parked, room will wake them in turn,
        // and more spinning threads would only take the cores from the receivers
        final boolean virtual = Thread.currentThread().isVirtual();
        final boolean first = sendWaiters.count == 0;
        WaitPolicy wait = WaitPolicy.begin(virtual, sendSpins, first);
        Waiter w = null;
        boolean sent = false;
        try {
            while (true) {
                if (disconnected()) {
                    return DISCONNECTED;
                }
                if (offerReady(element)) {
                    afterOffer();
                    sent = true;
                    return SENT;
                }
                if (timed && !wait.spinning() && deadline - System.nanoTime() <= 0L) {
                    if (offer(element)) { // "full" is an answer: exact
                        afterOffer();
                        sent = true;
                        return SENT;
                    }
                    return FULL;
                }
                if (wait.pause()) {
                    continue;
                }
                if (w == null) {
                    w = new Waiter(Thread.currentThread(), false);
                }
                if (!w.queued) {
                    sendWaiters.add(w);
                    continue; // re-check after registering
                }
                if (spacePending()) {
                    Thread.onSpinWait();
                    continue;
                }
                if (timed) {
                    wait.parkUntil(this, deadline);
                } else {
                    wait.park(this);
                }
            }
        } finally {
            if (w != null && !sendWaiters.remove(w) && w.signaled && !sent) {
                sendWaiters.wakeOne(); // pass on a wake-up this call did not use
            }
            if (virtual && first) {
                sendSpins = wait.adapt(sendSpins);
            }
            addSendBlockedNanos(wait.blockedNanos());
        }
    }

    // ---------------------------------------------------------------- receive

    /** Blocking receive: the item, or throws ChannelClosedException when closed and drained. */
    final E receive() throws InterruptedException {
        E e = pollReady();
        if (e != null) {
            afterPoll(1);
            return e;
        }
        Object r = awaitReceive(false, 0L);
        if (r == CLOSED) {
            throw closedException();
        }
        @SuppressWarnings("unchecked")
        E item = (E) r;
        return item;
    }

    /** Blocking receive for iteration: the item, or {@link #CLOSED}. */
    final Object receiveOrClosed() throws InterruptedException {
        E e = pollReady();
        if (e != null) {
            afterPoll(1);
            return e;
        }
        return awaitReceive(false, 0L);
    }

    final ReceiveResult<E> tryReceive() {
        E e = poll();
        if (e != null) {
            afterPoll(1);
            return new ReceiveResult.Received<>(e);
        }
        if (sendersDone()) {
            e = poll();
            if (e != null) {
                afterPoll(1);
                return new ReceiveResult.Received<>(e);
            }
            return new ReceiveResult.Closed<>(failure());
        }
        return ReceiveResult.empty();
    }

    final ReceiveResult<E> receive(long timeoutNanos) throws InterruptedException {
        E e = pollReady();
        if (e != null) {
            afterPoll(1);
            return new ReceiveResult.Received<>(e);
        }
        Object r = awaitReceive(true, timeoutNanos);
        if (r == CLOSED) {
            return new ReceiveResult.Closed<>(failure());
        }
        if (r == TIMED_OUT) {
            return ReceiveResult.empty();
        }
        @SuppressWarnings("unchecked")
        E item = (E) r;
        return new ReceiveResult.Received<>(item);
    }

    /** Moves up to {@code max} ready items into {@code sink} without waiting. */
    final int drainTo(java.util.Collection<? super E> sink, int max) {
        int total = 0;
        Object[] chunk = null;
        while (total < max) {
            int want = Math.min(max - total, 256);
            if (chunk == null || chunk.length < want) {
                chunk = new Object[want];
            }
            int k = takeReady(chunk, 0, want);
            if (k == 0) {
                break;
            }
            for (int i = 0; i < k; i++) {
                @SuppressWarnings("unchecked")
                E e = (E) chunk[i];
                sink.add(e);
                chunk[i] = null;
            }
            total += k;
        }
        return total;
    }

    /**
     * Takes up to {@code max} ready items into {@code dst[from..]}, without waiting and without
     * waking senders (the caller calls {@link #afterPoll}). The default takes them one by one; the
     * ring claims a run of published slots with one CAS.
     */
    int pollBatch(Object[] dst, int from, int max) {
        int n = 0;
        E e;
        while (n < max && (e = poll()) != null) {
            dst[from + n++] = e;
        }
        return n;
    }

    /**
     * Takes up to {@code max} ready items into {@code dst[from..]} without waiting, and wakes as
     * many waiting senders as slots it freed: {@link #pollBatch} then {@link #afterPoll}.
     */
    final int takeReady(Object[] dst, int from, int max) {
        int k = pollBatch(dst, from, max);
        if (k > 0) {
            afterPoll(k);
        }
        return k;
    }

    /**
     * Offers {@code src[from..from+n)} in order without waiting and without waking receivers;
     * returns how many (a prefix) were accepted. The default offers one by one; the ring claims a
     * run of free slots with one CAS. A rendezvous accepts none (each item needs its receiver).
     */
    int offerBatch(Object[] src, int from, int n) {
        int k = 0;
        while (k < n && offer(src[from + k])) {
            k++;
        }
        return k;
    }

    /**
     * Blocking batch receive for the pipeline runtime: waits for at least one item, then takes up
     * to {@code max} of those ready into {@code dst[0..]}. Returns the count, or -1 when the channel
     * is closed and drained.
     */
    final int receiveBatch(Object[] dst, int max) throws InterruptedException {
        int k = takeReady(dst, 0, max);
        if (k > 0) {
            return k;
        }
        Object r = awaitReceive(false, 0L);
        if (r == CLOSED) {
            return -1;
        }
        dst[0] = r;
        return max > 1 ? 1 + takeReady(dst, 1, max - 1) : 1;
    }

    /**
     * Blocking batch send: sends {@code src[from..from+n)} in order, claiming runs of free slots
     * at once where the channel has room, waiting where it is full. Throws {@link
     * ChannelClosedException} whose {@code unsent()} is the list of items not sent when no receiver
     * is left; on interrupt, the items before the one waiting were sent.
     */
    void sendBatch(Object[] src, int from, int n) throws InterruptedException {
        int i = 0;
        while (i < n) {
            if (disconnected()) {
                throw disconnectedException(unsent(src, from + i, from + n));
            }
            int k = offerBatch(src, from + i, n - i);
            if (k > 0) {
                i += k;
                afterOffer(k);
                continue;
            }
            @SuppressWarnings("unchecked")
            E item = (E) src[from + i];
            try {
                send(item);
            } catch (ChannelClosedException e) {
                throw disconnectedException(unsent(src, from + i, from + n));
            }
            i++;
        }
    }

    private static java.util.List<Object> unsent(Object[] src, int from, int to) {
        return java.util.List.of(java.util.Arrays.copyOfRange(src, from, to));
    }

    /** After {@code k} items were offered at once: wake up to k receivers if any wait. */
    final void afterOffer(int k) {
        if (receiveWaiters.count != 0) {
            receiveWaiters.wake(k);
        }
    }

    /** After taking {@code n} items: wake up to n senders if any wait. */
    final void afterPoll(int n) {
        if (sendWaiters.count != 0) {
            sendWaiters.wake(n);
        }
    }

    /**
     * The receive slow path: spin, yield, then park until an item arrives, the channel is closed
     * and drained ({@link #CLOSED}), or (if timed) the time is up ({@link #TIMED_OUT}).
     */
    final Object awaitReceive(boolean timed, long nanos) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        // only the first waiter spins (see awaitSend)
        final boolean virtual = Thread.currentThread().isVirtual();
        final boolean first = receiveWaiters.count == 0;
        WaitPolicy wait = WaitPolicy.begin(virtual, receiveSpins, first);
        Waiter w = null;
        boolean open = false; // w's hand-off cell (see Waiter): open only around the park
        boolean received = false;
        try {
            while (true) {
                if (open) {
                    // busy from here until the park: a hand-off either came first or cannot land
                    open = false;
                    Waiter.Delivery d = w.close();
                    if (d != null) {
                        received = true;
                        return d.item();
                    }
                }
                E e = pollReady();
                if (e != null) {
                    afterPoll(1);
                    received = true;
                    return e;
                }
                if (sendersDone() || receiversDone()) {
                    // every send happened before the close that set the flag: one more poll sees
                    // all (and an abandoned channel ends its readers' waits)
                    e = poll();
                    if (e != null) {
                        afterPoll(1);
                        received = true;
                        return e;
                    }
                    return CLOSED;
                }
                if (timed && (nanos <= 0L || deadline - System.nanoTime() <= 0L)) {
                    e = poll(); // "empty" is an answer: exact
                    if (e != null) {
                        afterPoll(1);
                        received = true;
                        return e;
                    }
                    return TIMED_OUT;
                }
                if (wait.pause()) {
                    continue;
                }
                if (w == null) {
                    w = new Waiter(Thread.currentThread(), false); // its cell starts closed
                }
                if (!w.queued) {
                    receiveWaiters.add(w);
                    continue; // re-check after registering
                }
                if (!open) {
                    open = true;
                    w.reopen(); // a hand-off may land while parked (it dequeues and unparks)
                    receiverWaiting(); // may park on a lock, eating an unpark: re-check queued
                }
                if (!w.queued) {
                    continue; // woken (or handed an item) meanwhile
                }
                if (itemPending()) {
                    Thread.onSpinWait();
                    continue;
                }
                if (timed) {
                    wait.parkUntil(this, deadline);
                } else {
                    wait.park(this);
                }
            }
        } finally {
            if (w != null && !receiveWaiters.remove(w) && w.signaled && !received) {
                receiveWaiters.wakeOne(); // pass on a wake-up this call did not use
            }
            if (virtual && first) {
                receiveSpins = wait.adapt(receiveSpins);
            }
            addReceiveBlockedNanos(wait.blockedNanos());
        }
    }
}
