package dev.pipeline.channel;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of {@link Receiver#tryReceive()} and {@link Receiver#receive(java.time.Duration)}:
 * an item, or nothing yet, or the channel is closed and drained.
 *
 * <pre>{@code
 * switch (rx.tryReceive()) {
 *     case Received<String>(var v) -> use(v);
 *     case Empty<String> e -> idle();
 *     case Closed<String> c -> done();
 * }
 * }</pre>
 *
 * @param <E> the item type
 */
public sealed interface ReceiveResult<E> {

    /**
     * Returns the shared {@link Empty} instance.
     *
     * @param <E> the item type
     * @return the empty result
     */
    @SuppressWarnings("unchecked")
    static <E> ReceiveResult<E> empty() {
        return (ReceiveResult<E>) Empty.INSTANCE;
    }

    /**
     * An item was taken from the channel.
     *
     * @param value the item
     * @param <E> the item type
     */
    record Received<E>(E value) implements ReceiveResult<E> {
        /** Creates the result; {@code value} must not be null. */
        public Received {
            requireNonNull(value, "value");
        }
    }

    /**
     * Nothing was available: at once for {@code tryReceive}, or before the timeout passed for a
     * timed receive. The channel is still open; later calls may receive.
     *
     * @param <E> the item type
     */
    record Empty<E>() implements ReceiveResult<E> {
        private static final Empty<Object> INSTANCE = new Empty<>();
    }

    /**
     * Every sender is closed and every buffered item has been received: nothing will ever arrive.
     *
     * @param cause the error the channel was failed with ({@link Sender#fail(Throwable)}), or null
     *     if it was closed normally
     * @param <E> the item type
     */
    record Closed<E>(Throwable cause) implements ReceiveResult<E> {
        /**
         * The error the channel was failed with, if it was failed.
         *
         * @return the {@code cause}, or empty if the channel was closed normally
         */
        public Optional<Throwable> failure() {
            return Optional.ofNullable(cause);
        }
    }
}
