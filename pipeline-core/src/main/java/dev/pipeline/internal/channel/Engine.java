package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import java.util.List;

/**
 * The pipeline runtime's one door into the channel engine (not API): the runtime creates its
 * channels, takes and sends items in chunks, and asks whether a receiver waits through this class
 * only; it never casts a handle or touches a channel's core. A stage takes every ready item with
 * one claim and sends its outputs with one claim where the channel has room, so the hand-off cost
 * is paid per chunk rather than per item. Items move through the channel one slot each, so
 * capacity, counters and ordering are exactly those of single sends and receives.
 */
public final class Engine {
    private Engine() {}

    /** Where a runtime thread takes its items from: one channel, or several read as one stream. */
    public interface Input {
        /**
         * Takes up to {@code max} ready items into {@code dst[0..]} without waiting.
         *
         * @return the number taken; 0 if none was ready (one channel closed and drained also
         *     answers 0: its {@link #receiveBatch} tells the end); -1 once every one of several
         *     merged inputs is closed and drained
         * @throws ChannelClosedException if an input was failed and is drained (cause: the failure)
         * @throws IllegalStateException if a handle is closed
         */
        int poll(Object[] dst, int max);

        /**
         * Waits for at least one item, then takes up to {@code max} ready items into {@code
         * dst[0..]}.
         *
         * @return the number taken (at least 1), or -1 when every input is closed and drained
         * @throws InterruptedException if interrupted while waiting; nothing was taken
         * @throws ChannelClosedException if an input was failed and is drained (cause: the failure)
         * @throws IllegalStateException if a handle is closed
         */
        int receiveBatch(Object[] dst, int max) throws InterruptedException;
    }

    /** Where a runtime thread sends its items: one channel. */
    public interface Output {
        /**
         * Sends {@code src[from..from+n)} in order, waiting for room as needed.
         *
         * @throws InterruptedException if interrupted while waiting; earlier items were sent
         * @throws ChannelClosedException if no receiver is left ({@code unsent()}: the items not
         *     sent)
         * @throws IllegalStateException if the handle is closed
         */
        void sendBatch(Object[] src, int from, int n) throws InterruptedException;

        /**
         * Whether a receiver is parked on the channel: a producer that buffers its outputs checks
         * this per item (a volatile read) and publishes at once when one waits.
         */
        boolean receiverWaiting();
    }

    /**
     * A bounded channel (capacity 0: rendezvous) owned by {@code run}: its closure exceptions are
     * the run's signals ({@link RunChannelClosedException}), and its two handles are not watched for
     * leaks, since the run closes every handle it opens.
     *
     * @param run the run that owns the channel
     * @param name the channel's name
     * @param capacity the capacity, at least 0
     */
    public static <E> Channel<E> runChannel(Object run, String name, int capacity) {
        Channel<E> ch = InternalChannels.runOwned(capacity, name);
        ((SenderHandle<?>) ch.sender()).core.ownedBy(run);
        return ch;
    }

    /**
     * A {@link #runChannel} for one sending thread and one receiving thread ({@link
     * SpscRingChannel}).
     *
     * @param capacity the capacity, at least 1
     */
    public static <E> Channel<E> singleProducerSingleConsumer(
            Object run, String name, int capacity) {
        Channel<E> ch = InternalChannels.singleProducerSingleConsumer(capacity, name);
        ((SenderHandle<?>) ch.sender()).core.ownedBy(run);
        return ch;
    }

    /**
     * A copy of a handle that the runtime opens for one of its threads and always closes itself
     * when that thread ends: not watched for leaks, so it costs no stack capture and no cleaner
     * registration (a run opens one per edge end and worker).
     *
     * @throws IllegalStateException if the handle is closed
     */
    public static <E> Sender<E> runCopy(Sender<E> sender) {
        SenderHandle<E> h = (SenderHandle<E>) sender;
        h.ensureOpen();
        return h.core.newUnwatchedSender();
    }

    /** A {@link #runCopy(Sender)} of a receiver. */
    public static <E> Receiver<E> runCopy(Receiver<E> receiver) {
        ReceiverHandle<E> h = (ReceiverHandle<E>) receiver;
        h.ensureOpen();
        return h.core.newUnwatchedReceiver();
    }

    /** The chunked input of one receiver. */
    public static Input input(Receiver<?> receiver) {
        return new SingleInput((ReceiverHandle<?>) receiver);
    }

    /**
     * The chunked input of several receivers read by one thread as one stream ({@link
     * MergedInputs}); of one receiver, that receiver's {@link #input(Receiver)}.
     *
     * @throws IllegalStateException if a handle is closed
     */
    public static Input input(List<? extends Receiver<?>> receivers) {
        return receivers.size() == 1 ? input(receivers.get(0)) : new MergedInputs(receivers);
    }

    /**
     * Runs {@code hook} once when no receiver of the run channel {@code rx} reads will take
     * another item (its last receiver closed, or it was {@linkplain #abandon abandoned}), on the
     * thread that caused it. Call while wiring, before the channel's handles reach other threads.
     */
    public static void onReceiversGone(Receiver<?> rx, Runnable hook) {
        ((ReceiverHandle<?>) rx).core.onReceiversGone(hook);
    }

    /**
     * Abandons the channel {@code rx} reads: its receivers' waits and takes answer "closed" from
     * now on and its buffer is dropped, as if every receiver had closed, though the handles stay
     * open for their owner's teardown to close. For a run stage whose output nobody reads any more.
     */
    public static void abandon(Receiver<?> rx) {
        ((ReceiverHandle<?>) rx).core.abandon();
    }

    /** The chunked output of one sender. */
    public static Output output(Sender<?> sender) {
        return new SingleOutput((SenderHandle<?>) sender);
    }

    private static final class SingleInput implements Input {
        private final ReceiverHandle<?> handle;
        private final ChannelCore<?> core;

        SingleInput(ReceiverHandle<?> handle) {
            this.handle = handle;
            this.core = handle.core;
        }

        @Override
        public int poll(Object[] dst, int max) {
            handle.ensureOpen();
            return core.takeReady(dst, 0, max);
        }

        @Override
        public int receiveBatch(Object[] dst, int max) throws InterruptedException {
            handle.ensureOpen();
            int k = core.receiveBatch(dst, max);
            if (k < 0 && core.failure() != null) {
                throw core.closedException();
            }
            return k;
        }
    }

    private static final class SingleOutput implements Output {
        private final SenderHandle<?> handle;
        private final ChannelCore<?> core;

        SingleOutput(SenderHandle<?> handle) {
            this.handle = handle;
            this.core = handle.core;
        }

        @Override
        public void sendBatch(Object[] src, int from, int n) throws InterruptedException {
            handle.ensureOpen();
            core.sendBatch(src, from, n);
        }

        @Override
        public boolean receiverWaiting() {
            return core.receiveWaiters.count != 0;
        }
    }
}
