package dev.pipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the threads of one benchmark invocation and joins them, rethrowing the first failure so a
 * broken implementation fails the benchmark instead of reporting a fast score.
 *
 * <p>Threads are started and joined per invocation. Starting a platform thread costs some tens of
 * microseconds, a virtual thread about one; every invocation moves about a million items (tens to
 * hundreds of milliseconds), so the start-up is well under 1% of the measured time and it is the
 * same for every implementation. Per-trial threads would need an extra hand-off per invocation
 * (itself a queue or latch) that would be measured as well.
 */
final class Workers {

    /** A task that may throw. */
    @FunctionalInterface
    interface Task {
        /** Runs the task. */
        void run() throws Exception;
    }

    private final Thread.Builder builder;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Workers(ThreadKind kind) {
        this.builder = kind == ThreadKind.virtual ? Thread.ofVirtual() : Thread.ofPlatform();
    }

    /** Starts {@code task} on a new thread of this group's kind. */
    void start(String name, Task task) {
        Thread t =
                builder.name(name)
                        .unstarted(
                                () -> {
                                    try {
                                        task.run();
                                    } catch (Throwable e) {
                                        failure.compareAndSet(null, e);
                                    }
                                });
        threads.add(t);
        t.start();
    }

    /** Joins every thread started, then throws the first failure, if any. */
    void joinAll() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        threads.clear();
        Throwable e = failure.getAndSet(null);
        if (e != null) {
            throw new IllegalStateException("a benchmark thread failed", e);
        }
    }
}
