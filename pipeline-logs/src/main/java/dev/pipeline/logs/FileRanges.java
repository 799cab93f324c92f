package dev.pipeline.logs;

import dev.pipeline.channel.Sender;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Files read once, split into ranges that the parse workers read themselves, so the bytes cross
 * no channel: the source opens each file, detects its format from its first {@value #SAMPLE}
 * bytes, and sends ranges of {@value #RANGE} bytes, taking the files in turn; a worker reads its
 * range (a positional read on the shared channel) into a buffer of its own thread and finds the
 * range's entries (see {@link Chunk}). The first ranges are parsed ahead, while the pipeline
 * starts ({@link Split}).
 */
final class FileRanges {
    static final int RANGE = 512 * 1024;
    static final int SAMPLE = 64 * 1024;
    private static final int EXTRA = 8 * 1024;

    private static final ThreadLocal<byte[]> BUFFER =
            ThreadLocal.withInitial(() -> new byte[RANGE + 2 * EXTRA]);

    private FileRanges() {}

    /** The entries of a range, in a buffer of the calling thread: {@code bytes[from, to)}. */
    record Region(byte[] bytes, int from, int to) {}

    /**
     * The source's work, begun before the pipeline starts: a thread of its own opens the inputs,
     * detects their formats, and parses the first ranges (at most {@value #AHEAD}) while the main
     * thread starts the pipeline, which leaves the other core idle and the parse code not yet
     * compiled; the source then sends those ranges with their results and the others to be
     * parsed, all in the same order. Parsing ahead stops as soon as the source runs.
     */
    static final class Split {
        static final int AHEAD = 16;

        private final List<Input> inputs;
        private final Timestamps.LazyZone zone;
        private final AtomicBoolean stop;
        private final ChunkParser parser;
        private final Thread thread;
        private volatile boolean handedOver;

        // written by the thread, read by the source after joining it
        private final List<Chunk> parsed = new ArrayList<>();
        private long[] size;
        private long[] at;
        private int range;
        private int next;
        private Throwable failure;

        /**
         * Starts the work.
         *
         * @param inputs the files; one that cannot be opened is marked failed
         * @param zone the zone of the modification times
         * @param stop when set, no more ranges are parsed ahead or sent
         * @param parser parses the ranges parsed ahead
         */
        Split(
                List<Input> inputs,
                Timestamps.LazyZone zone,
                AtomicBoolean stop,
                ChunkParser parser) {
            this.inputs = inputs;
            this.zone = zone;
            this.stop = stop;
            this.parser = parser;
            this.thread = Thread.ofPlatform().daemon().name("split-ahead").start(this::ahead);
        }

        private void ahead() {
            try {
                open();
                Chunk c;
                while (parsed.size() < AHEAD
                        && !handedOver
                        && !stop.get()
                        && (c = nextRange()) != null) {
                    parsed.add(c.withParsed(parser.parse(c)));
                }
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        /** Opens the inputs and detects their formats. */
        private void open() {
            size = new long[inputs.size()];
            at = new long[inputs.size()];
            byte[] sample = new byte[SAMPLE];
            for (int i = 0; i < inputs.size(); i++) {
                Input in = inputs.get(i);
                try {
                    if (Files.isDirectory(in.path)) {
                        throw new IOException("Is a directory");
                    }
                    in.channel = FileChannel.open(in.path, StandardOpenOption.READ);
                    size[i] = in.channel.size();
                    in.setModified(Files.getLastModifiedTime(in.path).toInstant(), zone);
                    int n = readFully(in.channel, sample, 0, (int) Math.min(SAMPLE, size[i]), 0);
                    in.format = Detector.detect(sample, n, n == size[i]);
                    in.detected = true;
                } catch (IOException e) {
                    in.failure = InputReader.describe(e);
                    size[i] = 0;
                }
            }
            // the range size is a system property for the tests that cut files at every line
            range = Math.max(1, Integer.getInteger("pipeline.logs.rangeBytes", RANGE));
        }

        /** The next range, the files taken in turn; null after the last. */
        private Chunk nextRange() {
            for (int k = 0; k < inputs.size(); k++) {
                int i = (next + k) % inputs.size();
                if (at[i] < size[i]) {
                    long to = Math.min(size[i], at[i] + range);
                    Chunk c = Chunk.range(inputs.get(i), at[i], to);
                    at[i] = to;
                    next = i + 1;
                    return c;
                }
            }
            return null;
        }

        /** Stops parsing ahead and waits for the thread: a no-op once {@link #send} ran. */
        void finish() throws InterruptedException {
            handedOver = true;
            thread.join();
        }

        /**
         * The source: sends the ranges parsed ahead, with their results, then the others.
         *
         * @param tx where the ranges go
         */
        void send(Sender<Chunk> tx) throws InterruptedException {
            finish();
            if (failure != null) {
                throw new IllegalStateException("parsing ahead failed", failure);
            }
            for (Chunk c : parsed) {
                tx.send(c);
            }
            parsed.clear();
            Chunk c;
            while (!stop.get() && (c = nextRange()) != null) {
                tx.send(c);
            }
        }
    }

    /**
     * Reads the entries of a range.
     *
     * @throws IOException if the file cannot be read
     */
    static Region load(Chunk chunk) throws IOException {
        Input in = chunk.input();
        Loader l = new Loader(in, chunk.from() == 0 ? 0 : chunk.from() - 1);
        l.fill((int) (chunk.to() - l.base) + EXTRA);
        int s = chunk.from() == 0 ? 0 : l.entryStartFrom(1);
        int e = l.entryStartFrom((int) (chunk.to() - l.base));
        BUFFER.set(l.buf);
        return new Region(l.buf, s, Math.max(s, e));
    }

    /** A read from {@code base}, extended as a scan needs. */
    private static final class Loader {
        final Input in;
        final long base;
        byte[] buf = BUFFER.get();
        int len;
        boolean eof;

        Loader(Input in, long base) {
            this.in = in;
            this.base = base;
        }

        void fill(int want) throws IOException {
            if (buf.length < want) {
                buf = Arrays.copyOf(buf, Math.max(want, buf.length * 2));
            }
            int n = readFully(in.channel, buf, len, want - len, base + len);
            len += n;
            eof = len < want;
        }

        /**
         * The first line start at or after {@code p} (a line start is just after a line feed,
         * index 0 only for the file's start) whose line starts an entry; the end if none.
         */
        int entryStartFrom(int p) throws IOException {
            int i = 0;
            if (p > 0 || base > 0) {
                int nl = lineFeedFrom(p - 1);
                if (nl < 0) {
                    return len;
                }
                i = nl + 1;
            }
            Format f = in.format;
            while (i < len || !eof) {
                int nl = lineFeedFrom(i);
                if (nl < 0) {
                    return len; // the end of the file
                }
                int e = nl > i && buf[nl - 1] == '\r' ? nl - 1 : nl;
                boolean continues =
                        f != null ? f.continues(buf, i, e) : Format.continuesAnyFormat(buf, i, e);
                if (!continues) {
                    return i;
                }
                i = nl + 1;
            }
            return len;
        }

        /** The next line feed at or after {@code p}, reading on; -1 at the end of the file. */
        private int lineFeedFrom(int p) throws IOException {
            int i = p;
            while (true) {
                for (; i < len; i++) {
                    if (buf[i] == '\n') {
                        return i;
                    }
                }
                if (eof) {
                    return -1;
                }
                fill(len + Math.max(EXTRA, len / 2));
            }
        }
    }

    static int readFully(FileChannel ch, byte[] b, int off, int n, long position)
            throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, n);
        while (bb.hasRemaining()) {
            int r = ch.read(bb, position + bb.position() - off);
            if (r < 0) {
                break;
            }
        }
        return bb.position() - off;
    }
}
