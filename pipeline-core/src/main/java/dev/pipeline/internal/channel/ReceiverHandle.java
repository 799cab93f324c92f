package dev.pipeline.internal.channel;

import static com.google.common.base.Preconditions.checkArgument;

import static java.util.Objects.requireNonNull;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelInterruptedException;
import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A receiver handle: argument and state checks, then the channel core. */
final class ReceiverHandle<E> implements Receiver<E> {
    final ChannelCore<E> core;
    private final HandleState state;

    ReceiverHandle(ChannelCore<E> core, HandleState.Start start) {
        this.core = core;
        this.state = new HandleState(core, HandleState.Side.RECEIVER, start);
        state.watch(this, start);
    }

    void ensureOpen() {
        if (state.closed) {
            throw new IllegalStateException(
                    "this receiver of channel '" + core.name() + "' is closed");
        }
    }

    @Override
    public E receive() throws InterruptedException {
        ensureOpen();
        return core.receive();
    }

    @Override
    public ReceiveResult<E> tryReceive() {
        ensureOpen();
        return core.tryReceive();
    }

    @Override
    public ReceiveResult<E> receive(Duration timeout) throws InterruptedException {
        long nanos = Durations.saturatedNanos(requireNonNull(timeout, "timeout"));
        ensureOpen();
        return core.receive(nanos);
    }

    @Override
    public List<E> receiveBatch(int maxItems) throws InterruptedException {
        checkArgument(maxItems >= 1, "maxItems must be >= 1 but was %s", maxItems);
        ensureOpen();
        Object[] chunk = new Object[Math.min(maxItems, 1024)];
        int k = core.receiveBatch(chunk, chunk.length);
        if (k < 0) {
            throw core.closedException();
        }
        List<E> batch = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            @SuppressWarnings("unchecked")
            E e = (E) chunk[i];
            batch.add(e);
        }
        if (maxItems > k && k == chunk.length) {
            core.drainTo(batch, maxItems - k);
        }
        return batch;
    }

    @Override
    public int drainTo(Collection<? super E> sink, int maxItems) {
        requireNonNull(sink, "sink");
        checkArgument(maxItems >= 0, "maxItems must be >= 0 but was %s", maxItems);
        ensureOpen();
        return core.drainTo(sink, maxItems);
    }

    @Override
    public Receiver<E> copy() {
        ensureOpen();
        return core.newReceiver();
    }

    @Override
    public void close() {
        if (state.close()) {
            core.receiverClosed();
        }
    }

    @Override
    public boolean isClosed() {
        return state.closed;
    }

    @Override
    public boolean isClosedForReceiving() {
        return core.sendersDone() && !core.itemPending(); // nothing buffered or in flight
    }

    @Override
    public Iterator<E> iterator() {
        ensureOpen();
        return new Iterator<>() {
            private E next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                ensureOpen();
                Object r;
                try {
                    r = core.receiveOrClosed();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChannelInterruptedException(e);
                }
                if (r == ChannelCore.CLOSED) {
                    done = true;
                    if (core.failure() != null) {
                        throw core.closedException();
                    }
                    return false;
                }
                @SuppressWarnings("unchecked")
                E item = (E) r;
                next = item;
                return true;
            }

            @Override
            public E next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel '" + core.name() + "' is closed");
                }
                E e = next;
                next = null;
                return e;
            }
        };
    }

    @Override
    public Stream<E> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    @Override
    public Channel<E> channel() {
        return core.channel();
    }

    @Override
    public String toString() {
        return "Receiver[" + core.name() + (state.closed ? ", closed]" : "]");
    }
}
