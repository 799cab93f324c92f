package dev.pipeline.internal.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread parked on a {@link WaitQueue}. {@code queued} and {@code signaled} are written under
 * the queue's lock and read by the waiting thread without it; the waker unparks after unlocking.
 *
 * <p>Hand-off cell (rendezvous, ADR 13): a sender with nowhere to put its item but a waiting
 * receiver ({@code trySend} and a select's send clause on a rendezvous channel) gives the item to
 * a receive waiter directly, with one CAS of its group's {@code handoff} from open ({@code null})
 * to a {@link Delivery}. The waiter's own thread closes the cell ({@link #close}) before it looks
 * anywhere else for an item and before it gives up (timeout, interrupt, closed channel, another
 * clause of its select), and opens it again ({@link #reopen}) only before it parks. So a hand-off
 * and everything else the waiter might do are decided by that one CAS: a sender sees {@code Sent}
 * exactly when a receiver will return its item. The waiters of one select share one cell (the
 * group's), so at most one of its clauses is handed an item.
 */
final class Waiter {
    private static final VarHandle HANDOFF;

    static {
        try {
            HANDOFF = MethodHandles.lookup().findVarHandle(Waiter.class, "handoff", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The cell's state while its owner is busy or gone: no hand-off can land. */
    private static final Object CLOSED = new Object();

    /** An item handed to the receive waiter {@code to}. */
    record Delivery(Waiter to, Object item) {}

    final Thread thread;

    /** A select waiter sits on several queues and never consumes a wake-up meant for one receiver. */
    final boolean select;

    /** The waiter whose {@code handoff} cell decides for this one: itself, or its select's first. */
    private final Waiter group;

    volatile boolean queued;
    volatile boolean signaled;

    /**
     * The hand-off cell (used on the group): null (open), {@link #CLOSED}, or a delivery. Closed
     * at first: only a waiter that takes deliveries opens it (a merged input's waiter never does).
     */
    private volatile Object handoff = CLOSED;

    Waiter(Thread thread, boolean select) {
        this(thread, select, null);
    }

    /**
     * A waiter that shares the hand-off cell of {@code group} (the first waiter of the same
     * select), or has its own when {@code group} is null.
     */
    Waiter(Thread thread, boolean select, Waiter group) {
        this.thread = thread;
        this.select = select;
        this.group = group == null ? this : group;
    }

    void unpark() {
        LockSupport.unpark(thread);
    }

    /**
     * A sender hands {@code item} to this receive waiter; true if the cell was open and the item
     * is now the waiter's (the caller then unparks it), false if its owner is busy or gone.
     */
    boolean handOff(Object item) {
        return group.handoff == null
                && HANDOFF.compareAndSet(group, (Object) null, new Delivery(this, item));
    }

    /**
     * The owner's thread stops accepting hand-offs; returns the delivery that came first, or null.
     * Safe to call again while closed.
     */
    Delivery close() {
        Object h = (Object) HANDOFF.compareAndExchange(group, (Object) null, CLOSED);
        return h instanceof Delivery d ? d : null;
    }

    /** The owner's thread accepts hand-offs again (after a {@link #close} that returned null). */
    void reopen() {
        group.handoff = null;
    }
}
