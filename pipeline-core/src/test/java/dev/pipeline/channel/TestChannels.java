package dev.pipeline.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** Helpers for channel tests: flavour by capacity, threads that record failures, blocking checks. */
final class TestChannels {
    private TestChannels() {}

    /** The channel of that flavour: 0 rendezvous, {@link Channel#UNBOUNDED} unbounded. */
    static <E> Channel<E> create(int capacity) {
        return capacity == Channel.UNBOUNDED ? Channel.unbounded() : Channel.bounded(capacity);
    }

    /** Fills a bounded channel with {@code 0 .. capacity-1} without waiting; returns them. */
    static List<Integer> fill(Sender<Integer> tx, int capacity) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            assertThat(tx.trySend(i)).isEqualTo(SendResult.sent());
            items.add(i);
        }
        assertThat(tx.trySend(-1)).isEqualTo(new SendResult.Full<>(-1));
        return items;
    }

    /** Work that may block and throw. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Threads started by a test: each failure is recorded, {@link #joinAll()} joins every thread
     * (bounded) and rethrows the first failure.
     */
    static final class Workers implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final boolean virtual;

        Workers() {
            this(false);
        }

        Workers(boolean virtual) {
            this.virtual = virtual;
        }

        Thread start(String name, Body body) {
            Runnable r =
                    () -> {
                        try {
                            body.run();
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    };
            Thread t =
                    virtual
                            ? Thread.ofVirtual().name(name).start(r)
                            : Thread.ofPlatform().name(name).daemon().start(r);
            threads.add(t);
            return t;
        }

        void joinAll() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
            List<String> alive = new ArrayList<>();
            for (Thread t : threads) {
                if (t.isAlive()) {
                    alive.add(t.getName() + " " + t.getState());
                }
            }
            assertThat(alive).as("threads still running").isEmpty();
            Throwable first = failures.peek();
            if (first != null) {
                AssertionError e = new AssertionError("a worker thread failed", first);
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
        }

        /** Interrupts any thread still alive (cleanup after a failed test), then joins. */
        @Override
        public void close() {
            for (Thread t : threads) {
                if (t.isAlive()) {
                    t.interrupt();
                }
            }
            boolean interrupted = false;
            for (Thread t : threads) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits (bounded) until {@code t} is parked: WAITING or TIMED_WAITING. */
    static void awaitBlocked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return;
            }
            assertThat(s)
                    .as("thread ended instead of blocking")
                    .isNotEqualTo(Thread.State.TERMINATED);
            Thread.sleep(1);
        }
        throw new AssertionError(t.getName() + " did not block: " + t.getState());
    }
}
