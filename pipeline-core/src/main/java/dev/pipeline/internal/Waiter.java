package dev.pipeline.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread parked on a {@link WaitQueue}. {@code queued} and {@code signaled} are written under
 * the queue's lock and read by the waiting thread without it; the waker unparks after unlocking.
 */
final class Waiter {
    final Thread thread;

    /** A select waiter sits on several queues and never consumes a wake-up meant for one receiver. */
    final boolean select;

    volatile boolean queued;
    volatile boolean signaled;

    Waiter(Thread thread, boolean select) {
        this.thread = thread;
        this.select = select;
    }

    void unpark() {
        LockSupport.unpark(thread);
    }
}
