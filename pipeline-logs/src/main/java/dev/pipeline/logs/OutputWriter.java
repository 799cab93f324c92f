package dev.pipeline.logs;

import dev.pipeline.channel.ReceiveResult;
import dev.pipeline.channel.Receiver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The one consumer: appends each parsed chunk's output to the output file and its dead letters to
 * the dead-letter file, in chunk order, and has both forced to disk once {@code batch} lines are
 * written since the last request, {@code maxWait} after the first of them, and at the end. It
 * alone updates the inputs' counts.
 *
 * <p>Forces run on a thread of their own ("group commit", as databases flush their logs): the
 * writer goes on appending while the disk syncs, and one force covers every batch appended before
 * it began, so a batch is on disk at most one force after it was written, and the pipeline never
 * waits for the disk. {@link #run} returns only after a last force that covers everything.
 */
final class OutputWriter implements AutoCloseable {
    private final FileChannel output;
    private final FileChannel deadLetters;
    private final long batch;
    private final long maxWaitNanos;
    private final ByteOut dead = new ByteOut(4096);
    private final ByteOut.Pool buffers;
    private final Syncer syncer = new Syncer();

    /** Read by the progress line while the run goes on. */
    volatile long linesRead;

    volatile long linesWritten;

    /** Forces done; read after the run. */
    volatile long syncs;

    /**
     * Opens (creates or truncates) both files.
     *
     * @param buffers where each chunk's output buffer goes back once written
     */
    OutputWriter(
            Path outputFile,
            Path deadLetterFile,
            long batch,
            Duration maxWait,
            ByteOut.Pool buffers)
            throws IOException {
        this.output = open(outputFile);
        FileChannel d;
        try {
            d = open(deadLetterFile);
        } catch (IOException e) {
            output.close();
            throw e;
        }
        this.deadLetters = d;
        this.batch = batch;
        this.maxWaitNanos = maxWait.toNanos();
        this.buffers = buffers;
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The stage's loop: until the input is closed and drained. */
    void run(Receiver<Parsed> in) throws IOException, InterruptedException {
        long pending = 0;
        long deadline = 0;
        while (true) {
            Duration wait =
                    pending > 0
                            ? Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))
                            : Duration.ofMillis(500);
            // an instanceof chain, not a pattern switch: the switch's bootstrap spins a class at
            // the first receive, a cost that a run of a second feels
            ReceiveResult<Parsed> r = in.receive(wait);
            if (r instanceof ReceiveResult.Received<Parsed> received) {
                long lines = append(received.value());
                if (lines > 0 && pending == 0) {
                    deadline = System.nanoTime() + maxWaitNanos;
                }
                pending += lines;
                if (pending >= batch) {
                    syncer.request();
                    pending = 0;
                }
            } else if (r instanceof ReceiveResult.Closed<Parsed>) {
                syncer.requestAndWait();
                return;
            } else if (pending > 0 && System.nanoTime() - deadline >= 0) { // empty: timed out
                syncer.request();
                pending = 0;
            }
        }
    }

    /** Lines appended by {@link #write} since the last force it requested; its thread only. */
    private long pending;

    /**
     * When the oldest line {@link #write} appended and no force yet covers must be forced
     * ({@link System#nanoTime}), or 0: none waits. The writer sets it, {@link #tick} clears it.
     */
    private volatile long deadline;

    /**
     * Appends one parsed item, for a terminal that is handed items one by one (the Kafka mode)
     * rather than {@link #run}'s receive loop; {@link #tick} then forces on time and {@link
     * #finish} at the end. Called on one thread at a time.
     *
     * @param p the item
     * @param forced runs once the item's lines are on disk, on the force thread (at once when it
     *     wrote no line); or {@code null}
     * @throws IOException if the output cannot be written, or a force failed
     */
    void write(Parsed p, Runnable forced) throws IOException {
        long lines = append(p);
        if (lines == 0) {
            if (forced != null) {
                forced.run();
            }
            return;
        }
        if (forced != null) {
            syncer.whenForced(forced);
        }
        // read after the registration: a tick's request that the registration missed cleared
        // the deadline first, so a new one is set and a later force covers this item
        if (deadline == 0) {
            deadline = Math.max(1, System.nanoTime() + maxWaitNanos);
        }
        pending += lines;
        if (pending >= batch) {
            pending = 0;
            deadline = 0;
            syncer.request();
        }
    }

    /**
     * Requests a force when a line {@link #write} appended has waited {@code maxWait}: call it
     * every few milliseconds from a timer. Thread-safe.
     *
     * @throws IOException if a force failed
     */
    void tick() throws IOException {
        long d = deadline;
        if (d != 0 && System.nanoTime() - d >= 0) {
            deadline = 0;
            syncer.request();
        }
    }

    /**
     * After the last {@link #write}: forces everything and waits for it, every {@code forced}
     * callback run.
     *
     * @throws IOException if a force failed
     */
    void finish() throws IOException, InterruptedException {
        deadline = 0;
        syncer.requestAndWait();
    }

    /** Writes a chunk's output and dead letters; the lines written and dead-lettered. */
    private long append(Parsed p) throws IOException {
        Input input = p.input;
        if (p.atStart) {
            input.lineBase = 0;
        }
        write(output, p.out.array(), p.out.length());
        buffers.give(p.out);
        if (!p.deadLines.isEmpty()) {
            dead.clear();
            for (Parsed.DeadLine d : p.deadLines) {
                dead.text(input.origin, ByteOut.Escape.FIELD);
                dead.put(':');
                dead.number(input.lineBase + d.lineInChunk());
                dead.put('\t');
                dead.text(d.reason(), ByteOut.Escape.FIELD);
                dead.put('\t');
                dead.text(d.text(), 0, d.text().length, false, ByteOut.Escape.FIELD);
                dead.put('\n');
            }
            write(deadLetters, dead.array(), dead.length());
        }
        input.lineBase += p.lines;
        input.add(p);
        if (input.total != null) {
            input.addRecord(p);
        }
        linesRead += p.lines;
        linesWritten += p.written;
        return p.written + p.deadLettered;
    }

    private static void write(FileChannel ch, byte[] bytes, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            syncer.stop();
        } finally {
            try {
                output.close();
            } finally {
                deadLetters.close();
            }
        }
    }

    /**
     * The force thread. Invariant: every byte appended before the writer's {@code n}-th request
     * is on disk once {@code done >= n}.
     */
    private final class Syncer {
        private final Object lock = new Object();
        private long requested;
        private long done;
        private boolean stopped;
        private IOException failure;
        private Thread thread;

        /** Callbacks waiting for a force: the request number that covers each, in order. */
        private final java.util.ArrayDeque<Waiting> waiting = new java.util.ArrayDeque<>();

        private record Waiting(long request, Runnable callback) {}

        /** Runs {@code callback} once a force covers what was appended before this call. */
        void whenForced(Runnable callback) throws IOException {
            synchronized (lock) {
                rethrow();
                waiting.add(new Waiting(requested + 1, callback));
            }
        }

        void request() throws IOException {
            synchronized (lock) {
                rethrow();
                requested++;
                if (thread == null) {
                    thread = Thread.ofPlatform().name("log-aggregator-sync").start(this::loop);
                }
                lock.notifyAll();
            }
        }

        void requestAndWait() throws IOException, InterruptedException {
            request();
            synchronized (lock) {
                while (done < requested && failure == null) {
                    lock.wait();
                }
                rethrow();
            }
        }

        private void rethrow() throws IOException {
            if (failure != null) {
                throw new IOException("cannot force the output to disk", failure);
            }
        }

        private void loop() {
            while (true) {
                long target;
                synchronized (lock) {
                    while (done == requested && !stopped) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (done == requested) {
                        return;
                    }
                    target = requested;
                }
                try {
                    output.force(false);
                    deadLetters.force(false);
                } catch (IOException e) {
                    synchronized (lock) {
                        failure = e;
                        lock.notifyAll();
                    }
                    return;
                }
                java.util.List<Runnable> ready = new java.util.ArrayList<>();
                synchronized (lock) {
                    done = target;
                    syncs++;
                    while (!waiting.isEmpty() && waiting.peekFirst().request() <= target) {
                        ready.add(waiting.removeFirst().callback());
                    }
                    lock.notifyAll();
                }
                for (Runnable r : ready) {
                    r.run();
                }
            }
        }

        void stop() {
            Thread t;
            synchronized (lock) {
                stopped = true;
                lock.notifyAll();
                t = thread;
            }
            if (t != null) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
