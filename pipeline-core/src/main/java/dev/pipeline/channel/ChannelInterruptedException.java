package dev.pipeline.channel;

/**
 * Thrown by the {@link java.util.Iterator} and {@link java.util.stream.Stream} views of a {@link
 * Receiver} when the waiting thread is interrupted: those interfaces cannot throw {@link
 * InterruptedException}. The thread's interrupt flag is set again before this is thrown, and no
 * item was taken.
 */
public class ChannelInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param cause the interruption
     */
    public ChannelInterruptedException(InterruptedException cause) {
        super("interrupted while waiting to receive", cause);
    }
}
