package dev.pipeline.channel;

import static java.util.Objects.requireNonNull;

import dev.pipeline.internal.channel.Durations;
import dev.pipeline.internal.channel.SelectImpl;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Waits on several channels at once and completes exactly one clause: a receive from one of
 * several receivers, or a send to one of several senders.
 *
 * <pre>{@code
 * String what = Select.<String>create()
 *         .onReceive(orders, o -> "order " + o)
 *         .onReceive(cancels, c -> "cancel " + c)
 *         .onSend(audit, entry, () -> "audited")
 *         .select(Duration.ofMillis(100), () -> "nothing within 100 ms");
 * }</pre>
 *
 * <p>Fairness: when several clauses can complete, one of them is chosen at random (as in Go and
 * crossbeam), so a busy channel cannot starve the others: each run tries the clauses once in
 * order from a random starting clause. Call {@link #biased()} for declaration order instead (the
 * first ready clause in the order they were added wins), for example to give a control channel
 * priority over a data channel. Exactly one clause completes: a receive clause that did not win
 * took nothing, a send clause that did not win sent nothing.
 *
 * <p>Closure: when a receive clause's channel is closed and drained, or a send clause's channel
 * has no receiver left, that clause is "ready" and the select throws {@link ChannelClosedException}
 * naming the channel (and, for a send, handing the item back). Closed channels are not skipped
 * silently, so a select loop cannot spin on them; drop the clause and select again.
 *
 * <p>A send clause on a rendezvous channel completes only when a receiver is waiting for it, and
 * then that receiver has taken the item: the hand-off is atomic against the receiver timing out,
 * being interrupted or completing another clause of its own select.
 *
 * <p>Memory consistency effects: a clause that completes is a send or a receive, with the
 * happens-before edges stated on {@link Channel}. Actions in a thread prior to a select whose send
 * clause completes happen-before actions subsequent to the receipt of that item in another thread;
 * actions in a thread prior to the send of an item happen-before actions subsequent to the select
 * whose receive clause takes it. A receive clause that throws {@link ChannelClosedException} is a
 * receive that reports the channel closed. On a rendezvous channel, actions in the receiving
 * thread prior to the receive that takes a send clause's item happen-before the select returns.
 *
 * <p>A {@code Select} is a builder used by one thread; it may be run several times.
 *
 * @param <R> the type of the value the select returns
 */
public final class Select<R> {

    private final SelectImpl<R> impl = new SelectImpl<>();

    private Select() {}

    /**
     * Starts an empty select.
     *
     * @param <R> the type of the value the select returns
     * @return a builder; add clauses, then run it with {@link #select()}, {@link #select(Duration,
     *     Supplier)} or {@link #selectNow(Supplier)}
     */
    public static <R> Select<R> create() {
        return new Select<>();
    }

    /**
     * Makes this select biased: from now on, when several clauses are ready, the first one in the
     * order they were added wins, on every run. By default a select is fair (a random ready clause
     * wins). A biased select lets an earlier clause starve later ones when it is always ready.
     *
     * <pre>{@code
     * Select.<Msg>create().biased()
     *         .onReceive(control, c -> c)    // always checked first
     *         .onReceive(data, d -> d)
     *         .select();
     * }</pre>
     *
     * @return this select
     */
    public Select<R> biased() {
        impl.biased();
        return this;
    }

    /**
     * Adds a receive clause: when an item arrives on {@code receiver}, the select takes it and
     * returns {@code onItem.apply(item)}.
     *
     * @param receiver an open receiver of this library
     * @param onItem maps the received item to the select's result
     * @param <E> the item type
     * @return this select
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the receiver is not one of this library's handles
     */
    public <E> Select<R> onReceive(Receiver<E> receiver, Function<? super E, ? extends R> onItem) {
        impl.addReceive(requireNonNull(receiver, "receiver"), requireNonNull(onItem, "onItem"));
        return this;
    }

    /**
     * Adds a send clause: when {@code sender}'s channel has room, the select sends {@code item} and
     * returns {@code onSent.get()}.
     *
     * @param sender an open sender of this library
     * @param item the item to send, not null
     * @param onSent the select's result when this clause wins
     * @param <E> the item type
     * @return this select
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the sender is not one of this library's handles
     */
    public <E> Select<R> onSend(Sender<E> sender, E item, Supplier<? extends R> onSent) {
        impl.addSend(
                requireNonNull(sender, "sender"),
                requireNonNull(item, "item"),
                requireNonNull(onSent, "onSent"));
        return this;
    }

    /**
     * Waits until one clause completes and returns its result.
     *
     * @return the winning clause's result
     * @throws InterruptedException if interrupted while waiting; no clause completed
     * @throws ChannelClosedException if a clause's channel is closed (see the class comment)
     * @throws IllegalStateException if there are no clauses, or a handle is closed
     */
    public R select() throws InterruptedException {
        return impl.select(-1L, null);
    }

    /**
     * Waits at most {@code timeout} for one clause to complete.
     *
     * @param timeout the longest time to wait; zero or negative means try once without waiting,
     *     a timeout beyond about 292 years means no limit
     * @param onTimeout the result when no clause completed in time
     * @return the winning clause's result, or {@code onTimeout.get()}
     * @throws InterruptedException if interrupted while waiting; no clause completed
     * @throws ChannelClosedException if a clause's channel is closed (see the class comment)
     * @throws IllegalStateException if there are no clauses, or a handle is closed
     */
    public R select(Duration timeout, Supplier<? extends R> onTimeout) throws InterruptedException {
        long nanos = Math.max(0L, Durations.saturatedNanos(requireNonNull(timeout, "timeout")));
        return impl.select(nanos, requireNonNull(onTimeout, "onTimeout"));
    }

    /**
     * Completes a clause that is ready now, or returns {@code orElse.get()} without waiting (the
     * "default" clause of Go's select).
     *
     * @param orElse the result when no clause is ready
     * @return the winning clause's result, or {@code orElse.get()}
     * @throws ChannelClosedException if a clause's channel is closed (see the class comment)
     * @throws IllegalStateException if there are no clauses, or a handle is closed
     */
    public R selectNow(Supplier<? extends R> orElse) {
        return impl.selectNow(requireNonNull(orElse, "orElse"));
    }
}
