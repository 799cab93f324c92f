package dev.pipeline.bench;

import com.softwaremill.jox.ChannelClosed;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;
import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import org.jctools.queues.SpscArrayQueue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One edge of a hand-built pipeline: a bounded queue or channel from one stage thread to the next,
 * with an end-of-stream signal, written the way each library is meant to be used:
 *
 * <ul>
 *   <li>{@code abq}: {@link ArrayBlockingQueue} with a poison pill (the baseline);
 *   <li>{@code jctools}: {@link SpscArrayQueue} with {@link SpinParkQueue} waiting and a poison
 *       pill;
 *   <li>{@code jox}: a jox buffered channel, {@code done()} at the end;
 *   <li>{@code channels}: pipeline's {@link Channel#bounded(int)} used by hand (no DSL), the
 *       sender closed at the end.
 * </ul>
 */
abstract class Link {

    /** What {@link #take()} returns once the upstream stage has ended. */
    static final Object END = new Object();

    /** Sends {@code v} downstream, waiting while full. */
    abstract void put(Object v) throws InterruptedException;

    /** The next item, or {@link #END} after the last one; waits while empty. */
    abstract Object take() throws InterruptedException;

    /** Signals the end of the stream (called once, by the upstream stage, after its last put). */
    abstract void end() throws InterruptedException;

    /** The names accepted by {@link #create}. */
    static boolean supports(String kind) {
        return switch (kind) {
            case "abq", "jctools", "jox", "channels" -> true;
            default -> false;
        };
    }

    /** A new single-producer, single-consumer link of the given kind. */
    static Link create(String kind, int capacity) {
        return switch (kind) {
            case "abq" -> new QueueLink(new ArrayBlockingQueue<>(capacity));
            case "jctools" -> new JctoolsLink(capacity);
            case "jox" -> new JoxLink(capacity);
            case "channels" -> new ChannelLink(capacity);
            default -> throw new IllegalArgumentException("no hand-built link " + kind);
        };
    }

    private static final class QueueLink extends Link {
        private final BlockingQueue<Object> queue;

        QueueLink(BlockingQueue<Object> queue) {
            this.queue = queue;
        }

        @Override
        void put(Object v) throws InterruptedException {
            queue.put(v);
        }

        @Override
        Object take() throws InterruptedException {
            return queue.take();
        }

        @Override
        void end() throws InterruptedException {
            queue.put(END);
        }
    }

    private static final class JctoolsLink extends Link {
        private final SpinParkQueue<Object> queue;

        JctoolsLink(int capacity) {
            this.queue = new SpinParkQueue<>(new SpscArrayQueue<>(Math.max(2, capacity)));
        }

        @Override
        void put(Object v) {
            queue.put(v);
        }

        @Override
        Object take() {
            return queue.take();
        }

        @Override
        void end() {
            queue.put(END);
        }
    }

    private static final class JoxLink extends Link {
        private final com.softwaremill.jox.Channel<Object> channel;

        JoxLink(int capacity) {
            this.channel = com.softwaremill.jox.Channel.newBufferedChannel(capacity);
        }

        @Override
        void put(Object v) throws InterruptedException {
            channel.send(v);
        }

        @Override
        Object take() throws InterruptedException {
            Object r = channel.receiveOrClosed();
            return r instanceof ChannelClosed ? END : r;
        }

        @Override
        void end() {
            channel.done();
        }
    }

    private static final class ChannelLink extends Link {
        private final Sender<Object> sender;
        private final Receiver<Object> receiver;

        ChannelLink(int capacity) {
            Channel<Object> channel = Channel.bounded(capacity);
            this.sender = channel.sender();
            this.receiver = channel.receiver();
        }

        @Override
        void put(Object v) throws InterruptedException {
            sender.send(v);
        }

        @Override
        Object take() throws InterruptedException {
            try {
                return receiver.receive();
            } catch (ChannelClosedException e) {
                receiver.close();
                return END;
            }
        }

        @Override
        void end() {
            sender.close();
        }
    }
}
