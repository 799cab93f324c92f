package dev.pipeline.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A thread parked on a {@link WaitQueue}. {@code queued} and {@code signaled} are written under
 * the queue's lock (or by the waker) and read by the waiting thread without it.
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

    void signal() {
        signaled = true;
        LockSupport.unpark(thread);
    }
}
