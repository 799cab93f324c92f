package dev.pipeline.internal.channel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * The open/closed state of one sender or receiver handle, kept apart from the handle so that a
 * {@link Cleaner} can act when the handle becomes unreachable: a handle dropped while still open is
 * reported (SLF4J warning with the stack where it was created) and then closed, as Rust drops a
 * {@code Sender}. (A handle whose other side is already closed is closed without a report: nobody
 * can be waiting on it.) That turns "forgot to close the original sender, the loop hangs forever" into a
 * log line and a loop that ends.
 *
 * <p>The creation site costs one stack capture per handle; {@code -Dpipeline.leakDetection=simple}
 * keeps the report without the stack, {@code off} disables the report and the closing.
 */
final class HandleState implements Runnable {

    /** How a handle starts. */
    enum Start {
        /** Open, and a drop while open is reported and closes it (the leak check). */
        WATCHED,
        /**
         * Open and not watched: a handle the runtime opens and always closes itself (no stack
         * capture, no cleaner registration).
         */
        UNWATCHED,
        /** Already closed (for a dropped original). */
        CLOSED
    }

    /** Which side of the channel a handle is on. */
    enum Side {
        SENDER,
        RECEIVER
    }

    /** The leak report's logger, made at the first report (SLF4J's start-up is not free). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("dev.pipeline.channel.leaks");
    }

    private static final String MODE = System.getProperty("pipeline.leakDetection", "trace");
    private static final Cleaner CLEANER = MODE.equals("off") ? null : Cleaner.create();

    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED =
                    MethodHandles.lookup()
                            .findVarHandle(HandleState.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelCore<?> core;
    private final boolean sender;
    private final Throwable createdAt;
    private Cleaner.Cleanable cleanable;

    volatile boolean closed;

    /**
     * The state of one new handle; a {@link Start#WATCHED} one then needs {@link #watch}.
     *
     * @param side the handle's side
     * @param start how the handle starts
     */
    HandleState(ChannelCore<?> core, Side side, Start start) {
        this.core = core;
        this.sender = side == Side.SENDER;
        this.closed = start == Start.CLOSED;
        this.createdAt =
                start == Start.WATCHED && MODE.equals("trace")
                        ? new Throwable((sender ? "sender" : "receiver") + " created here")
                        : null;
    }

    /**
     * Registers the leak check on {@code handle} if it starts {@link Start#WATCHED}; call once,
     * right after constructing it.
     */
    void watch(Object handle, Start start) {
        if (start == Start.WATCHED && CLEANER != null) {
            cleanable = CLEANER.register(handle, this);
        }
    }

    /** Closes the handle once; returns whether this call closed it. */
    boolean close() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return false;
        }
        if (cleanable != null) {
            cleanable.clean(); // runs run() now, which sees closed and does nothing
        }
        return true;
    }

    /** The cleaner's action: the handle became unreachable. */
    @Override
    public void run() {
        if (closed || !CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        // harmless when the other side is already gone: nobody can be waiting on this handle
        boolean harmless = sender ? core.disconnected() : core.sendersDone();
        if (harmless) {
            closeOnCore();
            return;
        }
        String kind = sender ? "sender" : "receiver";
        String message =
                "A {} of channel '{}' became unreachable while still open; closing it now. Close"
                        + " every handle (try-with-resources) when done with it, or the other side"
                        + " may wait forever.";
        if (createdAt != null) {
            Log.LOG.warn(message, kind, core.name(), createdAt);
        } else {
            Log.LOG.warn(message, kind, core.name());
        }
        closeOnCore();
    }

    private void closeOnCore() {
        if (sender) {
            core.senderClosed();
        } else {
            core.receiverClosed();
        }
    }
}
