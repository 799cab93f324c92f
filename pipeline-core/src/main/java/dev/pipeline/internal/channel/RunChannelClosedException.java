package dev.pipeline.internal.channel;

import dev.pipeline.channel.ChannelClosedException;

/**
 * A {@link ChannelClosedException} thrown by a channel a run created for itself (an edge between
 * two stages): the runtime's own closure signal, told apart from one that user code throws (from a
 * channel of its own) by where it came from, not by its type. To user code it is an ordinary
 * {@code ChannelClosedException}.
 */
public final class RunChannelClosedException extends ChannelClosedException {
    private static final long serialVersionUID = 1L;

    /** The run whose channel threw it. */
    private final transient Object run;

    /**
     * A closure signal of a channel of {@code run}.
     *
     * @param message the message
     * @param channelName the channel's name
     * @param unsent the items not sent, or null
     * @param cause the channel's failure, or null
     * @param run the run that owns the channel
     */
    public RunChannelClosedException(
            String message, String channelName, Object unsent, Throwable cause, Object run) {
        super(message, channelName, unsent, cause);
        this.run = run;
    }

    /**
     * Whether {@code t} is a closure signal of a channel of {@code run}.
     *
     * @param t an exception a stage's code threw
     * @param run the stage's run
     * @return {@code true} for the run's own signal
     */
    public static boolean isSignalOf(Throwable t, Object run) {
        return t instanceof RunChannelClosedException r && r.run == run;
    }
}
