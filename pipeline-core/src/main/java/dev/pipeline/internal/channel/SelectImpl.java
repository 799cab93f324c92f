package dev.pipeline.internal.channel;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The engine of {@link dev.pipeline.channel.Select}: try every clause once, starting at a random
 * one (fair, ADR 14) or at the first (biased); if none is ready, register a select waiter on each
 * clause's wait queue (receivers' queue for a receive clause, senders' queue for a send clause),
 * try again, then park until any channel wakes it, and repeat. A clause completes through the
 * channels' own non-blocking {@code poll}/{@code trySend}, or by a rendezvous sender handing an
 * item to one of the select's receive waiters. The waiters of one registration share one
 * hand-off cell ({@link Waiter}), closed while the select tries its clauses and once it stops
 * waiting, open only while it parks: so exactly one clause takes effect. Select waiters never
 * consume a wake-up meant for a plain waiter (see {@link WaitQueue#wakeOne}).
 *
 * @param <R> the select's result type
 */
public final class SelectImpl<R> {
    private static final Object NONE = new Object();

    private record Clause(
            ChannelCore<?> core,
            ReceiverHandle<?> receiver,
            SenderHandle<?> sender,
            Object item,
            Function<Object, ?> onItem,
            Supplier<?> onSent) {}

    private final List<Clause> clauses = new ArrayList<>();
    private boolean biased;

    /** Makes every later run try the clauses in the order they were added. */
    public void biased() {
        biased = true;
    }

    /** Adds a receive clause. */
    @SuppressWarnings("unchecked")
    public <E> void addReceive(Receiver<E> receiver, Function<? super E, ? extends R> onItem) {
        if (!(receiver instanceof ReceiverHandle<E> h)) {
            throw new IllegalArgumentException("not a receiver of this library: " + receiver);
        }
        clauses.add(new Clause(h.core, h, null, null, (Function<Object, ?>) onItem, null));
    }

    /** Adds a send clause. */
    public <E> void addSend(Sender<E> sender, E item, Supplier<? extends R> onSent) {
        if (!(sender instanceof SenderHandle<E> h)) {
            throw new IllegalArgumentException("not a sender of this library: " + sender);
        }
        clauses.add(new Clause(h.core, null, h, item, null, onSent));
    }

    /** Completes a ready clause or returns {@code orElse.get()}. */
    public R selectNow(Supplier<? extends R> orElse) {
        Object r = attempt();
        return r != NONE ? cast(r) : orElse.get();
    }

    /**
     * Waits for a clause: forever when {@code nanos < 0}, else up to {@code nanos}, then {@code
     * onTimeout.get()}.
     */
    public R select(long nanos, Supplier<? extends R> onTimeout) throws InterruptedException {
        Object r = attempt();
        if (r != NONE) {
            return cast(r);
        }
        boolean timed = nanos >= 0;
        if (timed && nanos == 0) {
            return onTimeout.get();
        }
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        Thread me = Thread.currentThread();
        int n = clauses.size();
        Waiter[] waiters = new Waiter[n];
        WaitPolicy wait = WaitPolicy.begin();
        while (true) {
            if (timed && !wait.spinning() && deadline - System.nanoTime() <= 0L) {
                return onTimeout.get();
            }
            if (wait.pause()) {
                r = attempt();
                if (r != NONE) {
                    return cast(r);
                }
                continue;
            }
            Waiter group = null;
            for (int i = 0; i < n; i++) {
                Clause c = clauses.get(i);
                Waiter w = new Waiter(me, true, group);
                if (group == null) {
                    group = w; // its cell starts closed: opened once all are registered
                }
                waiters[i] = w;
                (c.receiver != null ? c.core.receiveWaiters : c.core.sendWaiters).add(w);
            }
            try {
                r = attempt(); // re-check after registering
                if (r != NONE) {
                    return cast(r);
                }
                group.reopen(); // a rendezvous hand-off may land while parked
                for (Clause c : clauses) {
                    if (c.receiver != null) {
                        c.core.receiverWaiting();
                    }
                }
                // woken or handed an item since registering: the unpark may have been eaten by
                // a lock taken above, so do not park
                if (!anyDequeued(waiters)) {
                    if (timed) {
                        wait.parkUntil(this, deadline);
                    } else {
                        wait.park(this);
                    }
                }
            } finally {
                for (int i = 0; i < n; i++) {
                    Clause c = clauses.get(i);
                    (c.receiver != null ? c.core.receiveWaiters : c.core.sendWaiters)
                            .remove(waiters[i]);
                }
            }
            // out of every queue: no hand-off can start now; take one that landed, or close
            Waiter.Delivery d = group.close();
            if (d != null) {
                return cast(delivered(d, waiters));
            }
            r = attempt();
            if (r != NONE) {
                return cast(r);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private R cast(Object r) {
        return (R) r;
    }

    private static boolean anyDequeued(Waiter[] waiters) {
        for (Waiter w : waiters) {
            if (!w.queued) {
                return true;
            }
        }
        return false;
    }

    /** The result of the receive clause whose waiter a rendezvous sender handed an item to. */
    private Object delivered(Waiter.Delivery d, Waiter[] waiters) {
        for (int i = 0; ; i++) {
            if (waiters[i] == d.to()) {
                return clauses.get(i).onItem.apply(d.item());
            }
        }
    }

    /**
     * Tries each clause once, from a random one on (or from the first when biased); returns the
     * winner's result, or {@link #NONE}.
     */
    private Object attempt() {
        int n = clauses.size();
        if (n == 0) {
            throw new IllegalStateException("a select needs at least one clause");
        }
        int start = biased || n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
        for (int k = 0, i = start; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            Clause c = clauses.get(i);
            if (c.receiver != null) {
                c.receiver.ensureOpen();
                Object r = tryReceive(c.core, c.onItem);
                if (r != NONE) {
                    return r;
                }
            } else {
                c.sender.ensureOpen();
                Object r = trySend(c.core, c.item, c.onSent);
                if (r != NONE) {
                    return r;
                }
            }
        }
        return NONE;
    }

    private static <E> Object tryReceive(ChannelCore<E> core, Function<Object, ?> onItem) {
        E e = core.poll();
        if (e == null && core.sendersDone()) {
            e = core.poll();
            if (e == null) {
                throw core.closedException();
            }
        }
        if (e == null) {
            return NONE;
        }
        core.afterPoll(1);
        return onItem.apply(e);
    }

    @SuppressWarnings("unchecked")
    private static <E> Object trySend(ChannelCore<E> core, Object item, Supplier<?> onSent) {
        SendResult<E> r = core.trySend((E) item);
        if (r instanceof SendResult.Sent) {
            return onSent.get();
        }
        if (r instanceof SendResult.Disconnected) {
            throw core.disconnectedException(item);
        }
        return NONE;
    }
}
