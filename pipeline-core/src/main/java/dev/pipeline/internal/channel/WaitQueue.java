package dev.pipeline.internal.channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads waiting on one side of a channel (receivers waiting for items, or senders waiting for
 * room). Only the slow path touches the lock; the fast path reads {@link #count} alone.
 *
 * <p>Wake-up protocol (a Dekker-style handshake, no lost wake-ups): a waiter first registers
 * (volatile write of {@code count}) and then re-checks the channel with volatile reads; a waker
 * first changes the channel with a CAS and then reads {@code count}. In the synchronization order
 * either the waker sees the registration, or the waiter's re-check sees the change.
 *
 * <p>A {@link ReentrantLock}, not {@code synchronized}: it never pins a virtual thread's carrier.
 */
final class WaitQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** Waiters registered now; read without the lock on every fast-path operation. */
    volatile int count;

    void add(Waiter w) {
        lock.lock();
        try {
            w.signaled = false;
            w.queued = true;
            waiters.addLast(w);
            count = waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code w} if it is still queued; returns whether it was. */
    boolean remove(Waiter w) {
        if (!w.queued) {
            return false;
        }
        lock.lock();
        try {
            if (!w.queued) {
                return false;
            }
            w.queued = false;
            waiters.remove(w);
            count = waiters.size();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes one plain waiter, and every select waiter queued before it (a select only re-checks, so
     * it must not swallow the wake-up meant for one receiver or sender).
     */
    void wakeOne() {
        wake(1);
    }

    /** Wakes up to {@code n} plain waiters (and the select waiters met on the way). */
    void wake(int n) {
        Waiter single = null;
        List<Waiter> many = null;
        lock.lock();
        try {
            int plain = 0;
            Waiter w;
            while (plain < n && (w = waiters.pollFirst()) != null) {
                // signaled before queued: a waiter that gives up and finds itself no longer queued
                // must also find the wake-up it has to pass on (see ChannelCore.awaitReceive)
                w.signaled = true;
                w.queued = false;
                if (!w.select) {
                    plain++;
                }
                if (single == null) {
                    single = w;
                } else {
                    if (many == null) {
                        many = new ArrayList<>();
                    }
                    many.add(w);
                }
            }
            count = waiters.size();
        } finally {
            lock.unlock();
        }
        // unpark outside the lock: the woken thread would otherwise contend for it at once
        if (single != null) {
            single.unpark();
        }
        if (many != null) {
            for (Waiter w : many) {
                w.unpark();
            }
        }
    }

    /**
     * Hands {@code item} to the first waiter whose hand-off cell is open ({@link Waiter#handOff})
     * and wakes it; returns whether one took it. Waiters whose owner is busy or gone stay queued.
     */
    boolean handOff(Object item) {
        Waiter taker = null;
        lock.lock();
        try {
            var it = waiters.iterator();
            while (it.hasNext()) {
                Waiter w = it.next();
                if (w.handOff(item)) {
                    it.remove();
                    w.queued = false;
                    count = waiters.size();
                    taker = w;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (taker == null) {
            return false;
        }
        taker.unpark();
        return true;
    }

    /** Wakes every waiter: the channel closed, or failed. */
    void wakeAll() {
        wake(Integer.MAX_VALUE);
    }

    /** Wakes the select waiters only (they re-check; plain waiters keep their place). */
    void wakeSelects() {
        List<Waiter> selects = null;
        lock.lock();
        try {
            var it = waiters.iterator();
            while (it.hasNext()) {
                Waiter w = it.next();
                if (w.select) {
                    it.remove();
                    w.signaled = true;
                    w.queued = false;
                    if (selects == null) {
                        selects = new ArrayList<>();
                    }
                    selects.add(w);
                }
            }
            count = waiters.size();
        } finally {
            lock.unlock();
        }
        if (selects != null) {
            for (Waiter w : selects) {
                w.unpark();
            }
        }
    }
}
