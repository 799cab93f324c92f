package dev.pipeline.internal.channel;

import static java.util.Objects.requireNonNull;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.SendResult;
import dev.pipeline.channel.Sender;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A sender handle: argument and state checks, then the channel core. */
final class SenderHandle<E> implements Sender<E> {
    final ChannelCore<E> core;
    private final HandleState state;

    SenderHandle(ChannelCore<E> core, HandleState.Start start) {
        this.core = core;
        this.state = new HandleState(core, HandleState.Side.SENDER, start);
        state.watch(this, start);
    }

    void ensureOpen() {
        if (state.closed) {
            throw new IllegalStateException(
                    "this sender of channel '" + core.name() + "' is closed");
        }
    }

    @Override
    public void send(E item) throws InterruptedException {
        requireNonNull(item, "item");
        ensureOpen();
        core.send(item);
    }

    @Override
    public SendResult<E> trySend(E item) {
        requireNonNull(item, "item");
        ensureOpen();
        return core.trySend(item);
    }

    @Override
    public SendResult<E> send(E item, Duration timeout) throws InterruptedException {
        requireNonNull(item, "item");
        long nanos = Durations.saturatedNanos(requireNonNull(timeout, "timeout"));
        ensureOpen();
        return core.send(item, nanos);
    }

    @Override
    public int sendAll(Iterable<? extends E> items) throws InterruptedException {
        requireNonNull(items, "items");
        List<E> copy = new ArrayList<>();
        for (E item : items) {
            copy.add(requireNonNull(item, "items must not contain null"));
        }
        ensureOpen();
        Object[] array = copy.toArray();
        core.sendBatch(array, 0, array.length);
        return array.length;
    }

    @Override
    public Sender<E> copy() {
        ensureOpen();
        return core.newSender();
    }

    @Override
    public void close() {
        if (state.close()) {
            core.senderClosed();
        }
    }

    @Override
    public void fail(Throwable cause) {
        requireNonNull(cause, "cause");
        if (!state.close()) {
            throw new IllegalStateException(
                    "this sender of channel '" + core.name() + "' is closed");
        }
        core.fail(cause);
        core.senderClosed();
    }

    @Override
    public boolean isClosed() {
        return state.closed;
    }

    @Override
    public boolean isDisconnected() {
        return core.disconnected();
    }

    @Override
    public Channel<E> channel() {
        return core.channel();
    }

    @Override
    public String toString() {
        return "Sender[" + core.name() + (state.closed ? ", closed]" : "]");
    }
}
