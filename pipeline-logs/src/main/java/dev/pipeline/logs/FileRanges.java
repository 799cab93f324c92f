package dev.pipeline.logs;

import dev.pipeline.channel.Sender;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Files read once, split into ranges that the parse workers read themselves, so the bytes cross
 * no channel: the source opens each file, detects its format from its first {@value #SAMPLE}
 * bytes, and sends ranges of {@value #RANGE} bytes, taking the files in turn; a worker reads its
 * range (a positional read on the shared channel) into a buffer of its own thread and finds the
 * range's entries (see {@link Chunk}).
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
     * The source: opens the inputs, detects their formats, sends their ranges.
     *
     * @param inputs the files; one that cannot be opened is marked failed
     * @param zone the zone of the modification times, or {@code null}: the system's
     * @param stop when set, no more ranges are sent
     * @param tx where the ranges go
     */
    static void split(List<Input> inputs, ZoneId zone, AtomicBoolean stop, Sender<Chunk> tx)
            throws InterruptedException {
        long[] size = new long[inputs.size()];
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
        int range = Math.max(1, Integer.getInteger("pipeline.logs.rangeBytes", RANGE));
        long[] at = new long[inputs.size()];
        boolean more = true;
        while (more && !stop.get()) {
            more = false;
            for (int i = 0; i < inputs.size() && !stop.get(); i++) {
                if (at[i] < size[i]) {
                    long to = Math.min(size[i], at[i] + range);
                    tx.send(Chunk.range(inputs.get(i), at[i], to));
                    at[i] = to;
                    more |= to < size[i];
                }
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
