package dev.pipeline.bench;

import com.softwaremill.jox.Channel;

import dev.pipeline.channel.Receiver;
import dev.pipeline.channel.Sender;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * One channel or queue of any {@link Impl}, with a blocking put/take endpoint per thread. Each
 * producer thread gets its own {@link Out} and each consumer its own {@link In}, created on the
 * benchmark thread before the workers start (pipeline's handles are per thread by design: {@code
 * copy()}); the others share the one queue.
 */
abstract class Pipe {

    /** A producer's endpoint. */
    interface Out {
        /** Adds {@code v}, waiting while full. */
        void put(Long v) throws InterruptedException;

        /** Releases the endpoint (closes a pipeline sender handle). */
        default void close() {}
    }

    /** A consumer's endpoint. */
    interface In {
        /** Takes the next item, waiting while empty. */
        Long take() throws InterruptedException;

        /** Releases the endpoint (closes a pipeline receiver handle). */
        default void close() {}
    }

    /** A new endpoint for one producer thread. */
    abstract Out out();

    /** A new endpoint for one consumer thread. */
    abstract In in();

    /**
     * A new pipe.
     *
     * @param capacity the buffer size; 0 for a rendezvous (abq then uses capacity 1, the nearest it
     *     has; jctools has no rendezvous)
     * @param producers the number of producer threads (chooses the JCTools queue)
     * @param consumers the number of consumer threads (chooses the JCTools queue)
     */
    static Pipe create(Impl impl, int capacity, int producers, int consumers) {
        return switch (impl) {
            case pipeline -> new PipelinePipe(capacity);
            case abq -> new QueuePipe(new ArrayBlockingQueue<>(Math.max(1, capacity)));
            case sq -> new QueuePipe(new SynchronousQueue<>());
            case jox -> new JoxPipe(capacity);
            case jctools -> new JctoolsPipe(capacity, producers, consumers);
        };
    }

    private static final class PipelinePipe extends Pipe {
        private final dev.pipeline.channel.Channel<Long> channel;
        private Sender<Long> sender;
        private Receiver<Long> receiver;

        PipelinePipe(int capacity) {
            this.channel = dev.pipeline.channel.Channel.bounded(capacity);
        }

        @Override
        Out out() {
            Sender<Long> tx = sender == null ? (sender = channel.sender()) : sender.copy();
            return new Out() {
                @Override
                public void put(Long v) throws InterruptedException {
                    tx.send(v);
                }

                @Override
                public void close() {
                    tx.close();
                }
            };
        }

        @Override
        In in() {
            Receiver<Long> rx =
                    receiver == null ? (receiver = channel.receiver()) : receiver.copy();
            return new In() {
                @Override
                public Long take() throws InterruptedException {
                    return rx.receive();
                }

                @Override
                public void close() {
                    rx.close();
                }
            };
        }
    }

    private static final class QueuePipe extends Pipe {
        private final BlockingQueue<Long> queue;

        QueuePipe(BlockingQueue<Long> queue) {
            this.queue = queue;
        }

        @Override
        Out out() {
            return queue::put;
        }

        @Override
        In in() {
            return queue::take;
        }
    }

    private static final class JoxPipe extends Pipe {
        private final Channel<Long> channel;

        JoxPipe(int capacity) {
            this.channel =
                    capacity == 0
                            ? Channel.newRendezvousChannel()
                            : Channel.newBufferedChannel(capacity);
        }

        @Override
        Out out() {
            return channel::send;
        }

        @Override
        In in() {
            return channel::receive;
        }
    }

    private static final class JctoolsPipe extends Pipe {
        private final SpinParkQueue<Long> queue;

        JctoolsPipe(int capacity, int producers, int consumers) {
            if (capacity < 1) {
                throw new IllegalArgumentException("JCTools has no rendezvous queue");
            }
            MessagePassingQueue<Long> q;
            if (producers == 1 && consumers == 1) {
                q = new SpscArrayQueue<>(capacity);
            } else if (consumers == 1) {
                q = new MpscArrayQueue<>(capacity);
            } else {
                q = new MpmcArrayQueue<>(Math.max(2, capacity));
            }
            this.queue = new SpinParkQueue<>(q);
        }

        @Override
        Out out() {
            return queue::put;
        }

        @Override
        In in() {
            return queue::take;
        }
    }
}
