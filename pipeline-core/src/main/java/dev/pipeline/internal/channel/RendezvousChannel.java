package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.SendResult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A rendezvous channel (capacity 0): a send completes only when a receiver has taken its item.
 *
 * <p>A sender wraps its item in a {@link Node}, places it in the single {@code slot} with a CAS
 * (waiting, like a full bounded channel, while another sender's node is there), then waits until a
 * receiver takes it: the receiver CASes the slot back to null, marks the node taken and unparks the
 * sender. A sender that is interrupted or times out while its node is in the slot takes it back
 * with the same CAS; if that CAS fails a receiver got there first and the send has completed. So
 * the slot CAS decides every race, and an interrupted send never delivers its item.
 *
 * <p>{@code trySend} (and a select's send clause, and a timed send with a non-positive timeout)
 * never uses the slot: it hands its item straight to a receiver registered as waiting, with one
 * CAS on that waiter's hand-off cell ({@link Waiter}, {@link WaitQueue#handOff}). The receiver
 * closes its cell before it polls the slot, times out, is interrupted or completes another clause
 * of its select, so the CAS decides each race: {@code Sent} means that receiver returns the item
 * (ADR 13). With no receiver waiting (or every waiting one busy at that instant) it is {@code
 * Full}.
 *
 * @param <E> the item type
 */
final class RendezvousChannel<E> extends ChannelCore<E> {

    private static final VarHandle SLOT;

    static {
        try {
            SLOT =
                    MethodHandles.lookup()
                            .findVarHandle(RendezvousChannel.class, "slot", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** An item offered for hand-off, and the sender waiting for it to be taken. */
    static final class Node {
        final Object item;
        final Thread sender;
        volatile boolean taken;

        Node(Object item, Thread sender) {
            this.item = item;
            this.sender = sender;
        }
    }

    private volatile Node slot;
    private final LongAdder handedOff = new LongAdder();

    /** Senders whose node is in the slot; woken when every receiver closes. */
    private final WaitQueue handoffWaiters = new WaitQueue();

    RendezvousChannel(Channel<E> channel, String name) {
        super(channel, name, 0);
    }

    @Override
    boolean offer(Object element) {
        return SLOT.compareAndSet(this, (Node) null, (Node) element);
    }

    @Override
    E poll() {
        for (; ; ) {
            Node n = slot;
            if (n == null) {
                return null;
            }
            if (SLOT.compareAndSet(this, n, (Node) null)) {
                n.taken = true;
                LockSupport.unpark(n.sender);
                handedOff.increment();
                @SuppressWarnings("unchecked")
                E e = (E) n.item;
                return e;
            }
        }
    }

    private boolean retract(Node node) {
        if (!SLOT.compareAndSet(this, node, (Node) null)) {
            return false;
        }
        // the slot is free again: a sender waiting for it must hear so, as after a take
        afterPoll(1);
        return true;
    }

    @Override
    void send(E item) throws InterruptedException {
        if (disconnected()) {
            throw disconnectedException(item);
        }
        Node node = new Node(item, Thread.currentThread());
        if (offer(node)) {
            afterOffer();
        } else if (awaitSend(node, false, 0L) == DISCONNECTED) {
            throw disconnectedException(item);
        }
        if (awaitTaken(node, false, 0L) == DISCONNECTED) {
            throw disconnectedException(item);
        }
    }

    @Override
    SendResult<E> trySend(E item) {
        if (disconnected()) {
            return new SendResult.Disconnected<>(item);
        }
        if (receiveWaiters.count != 0 && receiveWaiters.handOff(item)) {
            handedOff.increment();
            return SendResult.sent();
        }
        return disconnected() ? new SendResult.Disconnected<>(item) : new SendResult.Full<>(item);
    }

    @Override
    SendResult<E> send(E item, long timeoutNanos) throws InterruptedException {
        if (timeoutNanos <= 0L) {
            return trySend(item); // try once: never a deadline in the past that wraps around
        }
        if (disconnected()) {
            return new SendResult.Disconnected<>(item);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        Node node = new Node(item, Thread.currentThread());
        int r;
        if (offer(node)) {
            afterOffer();
            r = SENT;
        } else {
            r = awaitSend(node, true, timeoutNanos);
        }
        if (r == SENT) {
            r = awaitTaken(node, true, deadline - System.nanoTime());
        }
        return switch (r) {
            case SENT -> SendResult.sent();
            case FULL -> new SendResult.Full<>(item);
            default -> new SendResult.Disconnected<>(item);
        };
    }

    /**
     * Waits until a receiver takes {@code node}. On interrupt, timeout or disconnection, takes the
     * node back if it is still in the slot; if it is not, a receiver took it and the send stands.
     */
    private int awaitTaken(Node node, boolean timed, long nanos) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        WaitPolicy wait = WaitPolicy.begin();
        Waiter w = null;
        try {
            while (true) {
                if (node.taken) {
                    return SENT;
                }
                if (disconnected()) {
                    return retract(node) ? DISCONNECTED : SENT;
                }
                if (timed && deadline - System.nanoTime() <= 0L) {
                    return retract(node) ? FULL : SENT;
                }
                boolean again;
                try {
                    again = wait.pause(); // checks the interrupt once past the spin phase
                } catch (InterruptedException e) {
                    if (retract(node)) {
                        throw e;
                    }
                    Thread.currentThread().interrupt(); // taken first: the send completed
                    return SENT;
                }
                if (again) {
                    continue;
                }
                if (w == null) {
                    w = new Waiter(Thread.currentThread(), false);
                    handoffWaiters.add(w); // then re-check: a disconnect wakes this queue
                } else if (timed) {
                    wait.parkUntil(this, deadline);
                } else {
                    wait.park(this);
                }
            }
        } finally {
            if (w != null) {
                handoffWaiters.remove(w);
            }
            addSendBlockedNanos(wait.blockedNanos());
        }
    }

    @Override
    int offerBatch(Object[] src, int from, int n) {
        return 0; // every item needs its own receiver: sendBatch falls back to send()
    }

    @Override
    void handoffDisconnected() {
        handoffWaiters.wakeAll();
    }

    @Override
    void receiverWaiting() {
        if (sendWaiters.count != 0) {
            sendWaiters.wakeSelects(); // a select's send clause can now hand off
        }
    }

    @Override
    boolean itemPending() {
        return slot != null;
    }

    @Override
    boolean spacePending() {
        return slot == null;
    }

    @Override
    long sentCount() {
        return handedOff.sum();
    }

    @Override
    long receivedCount() {
        return handedOff.sum();
    }

    @Override
    public long length() {
        return 0L;
    }
}
