package dev.pipeline.channel;

/**
 * Thrown by a blocking call that cannot complete because the channel is closed on the other side:
 * a {@link Receiver#receive() receive} on a channel that is closed and drained, or a {@link
 * Sender#send(Object) send} to a channel whose receivers are all closed (or that was failed).
 *
 * <p>A failed send hands its item back through {@link #unsent()}. When the channel was closed with
 * an error ({@link Sender#fail(Throwable)}), that error is this exception's {@linkplain #getCause()
 * cause}, so a failure travels downstream.
 *
 * <p>Using a handle that was itself closed is a programming error and throws {@link
 * IllegalStateException} instead.
 */
public class ChannelClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String channelName;
    private final transient Object unsent;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param channelName the channel's name
     * @param unsent the item (or, for a batch send, the {@code List} of items) not sent; null for a
     *     receive
     * @param cause the error the channel was failed with, or null
     */
    public ChannelClosedException(
            String message, String channelName, Object unsent, Throwable cause) {
        super(message, cause);
        this.channelName = channelName;
        this.unsent = unsent;
    }

    /**
     * The name of the channel that is closed.
     *
     * @return the channel's name
     */
    public String channelName() {
        return channelName;
    }

    /**
     * The item a failed send handed back (for {@link Sender#sendAll}, the {@code List} of items not
     * sent); null when a receive failed.
     *
     * @return the unsent item or items, or null
     */
    public Object unsent() {
        return unsent;
    }

    /**
     * Whether the channel was closed with an error (the {@linkplain #getCause() cause}).
     *
     * @return {@code true} if the channel was failed, {@code false} if it was closed normally
     */
    public boolean isFailure() {
        return getCause() != null;
    }
}
