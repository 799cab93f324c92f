package dev.pipeline.internal;

import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

/**
 * Chunked channel operations for the pipeline runtime (not API): a stage takes every ready item
 * with one claim and sends its outputs with one claim where the channel has room, so the hand-off
 * cost is paid per chunk rather than per item. Items move through the channel one slot each, so
 * capacity, counters and ordering are exactly those of single sends and receives.
 */
public final class ChannelAccess {
    private ChannelAccess() {}

    /**
     * Waits for at least one item, then takes up to {@code max} ready items into {@code dst[0..]}.
     *
     * @return the number taken (at least 1), or -1 when the channel is closed and drained
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     * @throws ChannelClosedException if the channel was failed and is drained (cause: the failure)
     * @throws IllegalStateException if the handle is closed
     */
    public static int receiveBatch(Receiver<?> receiver, Object[] dst, int max)
            throws InterruptedException {
        ReceiverHandle<?> h = (ReceiverHandle<?>) receiver;
        h.ensureOpen();
        int k = h.core.receiveBatch(dst, max);
        if (k < 0 && h.core.failure() != null) {
            throw h.core.closedException();
        }
        return k;
    }

    /**
     * A copy of a handle that the runtime opens for one of its threads and always closes itself
     * when that thread ends: not watched for leaks, so it costs no stack capture and no cleaner
     * registration (a run opens one per edge end and worker).
     *
     * @throws IllegalStateException if the handle is closed
     */
    static <E> Sender<E> runCopy(Sender<E> sender) {
        SenderHandle<E> h = (SenderHandle<E>) sender;
        h.ensureOpen();
        return h.core.newSender(false);
    }

    /** A {@link #runCopy(Sender)} of a receiver. */
    static <E> Receiver<E> runCopy(Receiver<E> receiver) {
        ReceiverHandle<E> h = (ReceiverHandle<E>) receiver;
        h.ensureOpen();
        return h.core.newReceiver(false);
    }

    /**
     * Takes up to {@code max} ready items into {@code dst[0..]} without waiting (a {@link
     * Receiver#drainTo} into the caller's own array, which it can reuse).
     *
     * @return the number taken, 0 if none was ready (or the channel is closed and drained)
     * @throws IllegalStateException if the handle is closed
     */
    static int poll(Receiver<?> receiver, Object[] dst, int max) {
        ReceiverHandle<?> h = (ReceiverHandle<?>) receiver;
        h.ensureOpen();
        return h.core.takeReady(dst, 0, max);
    }

    /**
     * Sends {@code src[from..from+n)} in order, waiting for room as needed.
     *
     * @throws InterruptedException if interrupted while waiting; earlier items were sent
     * @throws ChannelClosedException if no receiver is left ({@code unsent()}: the items not sent)
     * @throws IllegalStateException if the handle is closed
     */
    public static void sendBatch(Sender<?> sender, Object[] src, int from, int n)
            throws InterruptedException {
        SenderHandle<?> h = (SenderHandle<?>) sender;
        h.ensureOpen();
        h.core.sendBatch(src, from, n);
    }

    /**
     * Marks the channel of {@code sender} as {@code run}'s own: its closure exceptions are then the
     * run's signals ({@link RunChannelClosedException}).
     */
    static void ownedBy(Sender<?> sender, Object run) {
        ((SenderHandle<?>) sender).core.ownedBy(run);
    }

    /**
     * The receivers parked on the sender's channel: a producer that buffers its outputs checks
     * {@code count} per item and publishes at once when a receiver waits.
     */
    static WaitQueue receiveWaiters(Sender<?> sender) {
        return ((SenderHandle<?>) sender).core.receiveWaiters;
    }
}
