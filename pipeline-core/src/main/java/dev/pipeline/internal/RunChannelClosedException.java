package dev.pipeline.internal;

import dev.pipeline.channel.ChannelClosedException;

/**
 * A {@link ChannelClosedException} thrown by a channel a run created for itself (an edge between
 * two stages): the runtime's own closure signal, told apart from one that user code throws (from a
 * channel of its own) by where it came from, not by its type. To user code it is an ordinary
 * {@code ChannelClosedException}.
 */
final class RunChannelClosedException extends ChannelClosedException {
    private static final long serialVersionUID = 1L;

    /** The run whose channel threw it. */
    private final transient Object run;

    RunChannelClosedException(
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
    static boolean isSignalOf(Throwable t, Object run) {
        return t instanceof RunChannelClosedException r && r.run == run;
    }
}
