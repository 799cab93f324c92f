package dev.pipeline.channel;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@link Sender#trySend(Object)} and {@link Sender#send(Object,
 * java.time.Duration)}: the item was sent, or the channel stayed full, or no receiver is left. When
 * the item was not sent it is handed back, so nothing is lost.
 *
 * <pre>{@code
 * switch (tx.trySend(item)) {
 *     case Sent<String> s -> {}
 *     case Full<String>(var back) -> retryLater(back);
 *     case Disconnected<String>(var back) -> giveUp(back);
 * }
 * }</pre>
 *
 * @param <E> the item type
 */
public sealed interface SendResult<E> {

    /**
     * Returns the shared {@link Sent} instance.
     *
     * @param <E> the item type
     * @return the sent result
     */
    @SuppressWarnings("unchecked")
    static <E> SendResult<E> sent() {
        return (SendResult<E>) Sent.INSTANCE;
    }

    /**
     * Whether the item was sent.
     *
     * @return {@code true} for {@link Sent}, {@code false} for {@link Full} and {@link Disconnected}
     */
    default boolean isSent() {
        return this instanceof Sent;
    }

    /**
     * The item was accepted by the channel: it will be received exactly once, or stays in the
     * channel.
     *
     * @param <E> the item type
     */
    record Sent<E>() implements SendResult<E> {
        private static final Sent<Object> INSTANCE = new Sent<>();
    }

    /**
     * The channel had no room: at once for {@code trySend}, or until the timeout passed for a timed
     * send. For a rendezvous channel, "full" means no receiver was waiting.
     *
     * @param value the item that was not sent, handed back
     * @param <E> the item type
     */
    record Full<E>(E value) implements SendResult<E> {
        /** Creates the result; {@code value} must not be null. */
        public Full {
            requireNonNull(value, "value");
        }
    }

    /**
     * Every receiver handle of the channel is closed, or the channel was failed: the item can never
     * be received and was not sent.
     *
     * @param value the item that was not sent, handed back
     * @param <E> the item type
     */
    record Disconnected<E>(E value) implements SendResult<E> {
        /** Creates the result; {@code value} must not be null. */
        public Disconnected {
            requireNonNull(value, "value");
        }
    }
}
