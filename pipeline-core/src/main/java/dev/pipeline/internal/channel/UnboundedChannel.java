package dev.pipeline.internal.channel;

import dev.pipeline.channel.Channel;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * An unbounded channel on {@link ConcurrentLinkedQueue} (Michael and Scott's lock-free queue). A
 * send never waits. The node-linking CAS of {@code offer} is the full fence of the wake-up
 * handshake ({@link WaitQueue}); a registered waiter re-checks with {@code isEmpty}.
 *
 * @param <E> the item type
 */
final class UnboundedChannel<E> extends ChannelCore<E> {
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();

    UnboundedChannel(Channel<E> channel, String name) {
        super(channel, name, Channel.UNBOUNDED);
    }

    @Override
    boolean offer(Object element) {
        queue.offer(element);
        sent.increment();
        if (receiversDone()) {
            // every receiver closed, maybe after this send checked: the drop of the buffer may
            // have missed this item (the link CAS and the state bit's CAS are ordered, so either
            // the closer's drop sees the item or this read sees the bit). The send stands: it is
            // ordered before the close, and its item goes with the buffer.
            pollAndDropAll();
        }
        return true;
    }

    @Override
    E poll() {
        @SuppressWarnings("unchecked")
        E e = (E) queue.poll();
        if (e != null) {
            received.increment();
        }
        return e;
    }

    @Override
    void releaseBuffered() {
        pollAndDropAll(); // the queue's nodes go with their items
    }

    @Override
    boolean itemPending() {
        return !queue.isEmpty();
    }

    @Override
    boolean spacePending() {
        return true;
    }

    @Override
    long sentCount() {
        return sent.sum();
    }

    @Override
    long receivedCount() {
        return received.sum();
    }

    @Override
    public long length() {
        long n = sent.sum() - received.sum();
        if (n > 0) {
            sampleLength(n);
        }
        return Math.max(0L, n);
    }
}
