package dev.pipeline.internal.channel;

import dev.pipeline.channel.Receiver;

import java.util.List;

/**
 * Several input channels read by one stage thread as one stream: how a one-thread stage takes the
 * items of a {@code merge} straight from the merged sources' channels, with no forwarding thread
 * and no extra hop. Each source's items keep their order; sources are visited in turn, one run of
 * ready items each, so a fast source cannot starve a slow one.
 *
 * <p>Waiting when every input is empty mirrors a single channel's wait (spin, yield, park) and a
 * {@code select}'s registration: a select waiter on every open input, a re-check, then park, so an
 * item or a close on any input wakes the stage. The time spent waiting is counted as blocked
 * receiving, shared equally among the inputs waited on.
 *
 * <p>Used by one thread only.
 */
final class MergedInputs implements Engine.Input {
    private final ChannelCore<?>[] cores;
    private int open;
    private int next;

    MergedInputs(List<? extends Receiver<?>> inputs) {
        cores = new ChannelCore<?>[inputs.size()];
        for (int i = 0; i < cores.length; i++) {
            ReceiverHandle<?> h = (ReceiverHandle<?>) inputs.get(i);
            h.ensureOpen();
            cores[i] = h.core;
        }
        open = cores.length;
    }

    /**
     * Waits for at least one item on any input, then takes the ready items of one input (up to
     * {@code max}) into {@code dst[0..]}.
     *
     * @return the number taken (at least 1), or -1 when every input is closed and drained
     * @throws InterruptedException if interrupted while waiting; nothing was taken
     * @throws dev.pipeline.channel.ChannelClosedException if an input was failed and is drained
     */
    @Override
    public int receiveBatch(Object[] dst, int max) throws InterruptedException {
        while (true) {
            int k = poll(dst, max);
            if (k != 0) {
                return k;
            }
            awaitAny();
        }
    }

    /**
     * Takes the ready items of one input (up to {@code max}) into {@code dst[0..]} without
     * waiting.
     *
     * @return the number taken, 0 if no input has one ready, or -1 when every input is closed and
     *     drained
     * @throws dev.pipeline.channel.ChannelClosedException if an input was failed and is drained
     */
    @Override
    public int poll(Object[] dst, int max) {
        int tried = 0;
        while (tried < open) {
            int i = next < open ? next : 0;
            ChannelCore<?> core = cores[i];
            int k = core.takeReady(dst, 0, max);
            if (k == 0 && (core.sendersDone() || core.receiversDone())) {
                // every send happened before the close that set the flag: one more poll sees all
                k = core.takeReady(dst, 0, max);
                if (k == 0) {
                    if (core.failure() != null) {
                        throw core.closedException();
                    }
                    // closed and drained: drop it, keeping the others' turn order
                    System.arraycopy(cores, i + 1, cores, i, open - i - 1);
                    cores[--open] = core;
                    next = i;
                    continue;
                }
            }
            next = i + 1;
            if (k > 0) {
                return k;
            }
            tried++;
        }
        return open == 0 ? -1 : 0;
    }

    /** Whether any open input has an item on its way, was closed, or was abandoned. */
    private boolean anyReady() {
        for (int i = 0; i < open; i++) {
            if (cores[i].itemPending() || cores[i].sendersDone() || cores[i].receiversDone()) {
                return true;
            }
        }
        return false;
    }

    /** Returns once an input may have an item or a close; never takes an item. */
    private void awaitAny() throws InterruptedException {
        WaitPolicy wait = WaitPolicy.begin();
        Waiter[] waiters = null;
        try {
            while (true) {
                if (anyReady()) {
                    return;
                }
                if (wait.pause()) {
                    continue;
                }
                if (waiters == null) {
                    waiters = new Waiter[open];
                    Thread me = Thread.currentThread();
                    for (int i = 0; i < open; i++) {
                        Waiter w = new Waiter(me, true);
                        waiters[i] = w;
                        cores[i].receiveWaiters.add(w);
                        cores[i].receiverWaiting();
                    }
                    continue; // re-check after registering
                }
                wait.park(this);
                // woken by one input, or spuriously: re-register on every input before parking
                // again, since a wake-up dequeues the waiter it signals
                for (int i = 0; i < waiters.length; i++) {
                    if (!waiters[i].queued) {
                        cores[i].receiveWaiters.add(waiters[i]);
                        cores[i].receiverWaiting();
                    }
                }
            }
        } finally {
            if (waiters != null) {
                for (int i = 0; i < waiters.length; i++) {
                    cores[i].receiveWaiters.remove(waiters[i]);
                }
            }
            long blocked = wait.blockedNanos();
            if (blocked != 0L) {
                long share = blocked / open;
                for (int i = 0; i < open; i++) {
                    cores[i].addReceiveBlockedNanos(share);
                }
            }
        }
    }
}
