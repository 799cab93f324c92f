package dev.pipeline.logs;

import dev.pipeline.channel.Sender;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one file into {@link Chunk}s of about {@value #CHUNK} bytes, each cut before a line that
 * starts an entry, so that no entry is split between two chunks (the cut looks back from the end
 * of the buffer, usually one line). An entry longer than {@value #MAX_CHUNK} bytes is cut anyway,
 * and its first line goes with the next chunk as its head. The format is detected from the first
 * buffer.
 *
 * <p>Following ({@code --follow}), it reads on as the file grows, like {@code tail -F}: at the end
 * it polls; lines are sent as soon as they are complete, the last entry once the file has not
 * grown for one poll (its continuation lines come in the same write); when the name points to a
 * new file (rotation) it reads the old one to its end, then the new one from its start; when the
 * file shrinks (truncation) it starts again from the start. When stopped, it sends every byte it
 * has read, a last line without its line feed included.
 */
final class InputReader {
    static final int CHUNK = 256 * 1024;
    static final int MAX_CHUNK = 16 * 1024 * 1024;

    private final Input input;
    private final Path path;
    private final AtomicBoolean stop;
    private final Timestamps.LazyZone zone;
    private final Duration poll;
    private Sender<Chunk> tx;
    private byte[] buf = new byte[CHUNK];
    private int len;
    private boolean atStart = true;
    private byte[] head;

    InputReader(Input input, AtomicBoolean stop, Timestamps.LazyZone zone, Duration poll) {
        this.input = input;
        this.path = Objects.requireNonNull(input.path);
        this.stop = stop;
        this.zone = zone;
        this.poll = poll;
    }

    /** Reads the file once, to its end (or until stopped). */
    void readOnce(Sender<Chunk> out) throws InterruptedException {
        this.tx = out;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            input.setModified(Files.getLastModifiedTime(path).toInstant(), zone);
            boolean eof = false;
            while (!eof && !stop.get()) {
                int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
                if (n < 0) {
                    eof = true;
                } else {
                    len += n;
                }
                if (!eof && len < buf.length) {
                    continue;
                }
                if (!eof) {
                    sendEntries();
                }
            }
            sendAll();
        } catch (IOException e) {
            input.failure = describe(e);
            sendAll(); // the lines read before the failure are accounted for
        }
    }

    /** Follows the file until stopped. */
    void follow(Sender<Chunk> out) throws InterruptedException {
        this.tx = out;
        FileChannel ch = null;
        Object key = null;
        long lastGrowth = System.nanoTime();
        boolean opened = false;
        try {
            while (!stop.get()) {
                if (ch == null) {
                    try {
                        ch = FileChannel.open(path, StandardOpenOption.READ);
                        key = fileKey(path);
                        input.setModified(Files.getLastModifiedTime(path).toInstant(), zone);
                        opened = true;
                    } catch (NoSuchFileException e) {
                        if (!opened) {
                            throw e; // missing from the start: a failed input
                        }
                        Thread.sleep(poll.toMillis()); // between a rotation's rename and create
                        continue;
                    }
                }
                if (len == buf.length) {
                    sendEntries();
                }
                int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
                if (n > 0) {
                    len += n;
                    lastGrowth = System.nanoTime();
                    sendEntries();
                    continue;
                }
                if (len > 0 && System.nanoTime() - lastGrowth >= poll.toNanos()) {
                    sendLines(); // the file is quiet: its last entry is complete
                }
                Object now = fileKey(path);
                if (now != null && !now.equals(key)) {
                    // rotated: what was written to the old file before the rename, then the new
                    while ((n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len))) > 0) {
                        len += n;
                        if (len == buf.length) {
                            sendEntries();
                        }
                    }
                    sendAll();
                    ch.close();
                    ch = null;
                    atStart = true;
                    input.rotations++;
                    continue;
                }
                if (now != null && ch.size() < ch.position()) {
                    sendAll();
                    ch.position(0);
                    atStart = true;
                    input.truncations++;
                    continue;
                }
                Thread.sleep(poll.toMillis());
            }
            sendAll();
        } catch (IOException e) {
            input.failure = describe(e);
            sendAll();
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // read-only: nothing to lose
                }
            }
        }
    }

    private static Object fileKey(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (IOException e) {
            return null; // gone for now
        }
    }

    private void detect(boolean complete) {
        if (!input.detected && len > 0) {
            input.format = Detector.detect(buf, len, complete);
            input.detected = true;
        }
    }

    /** Sends the lines before the last entry that starts in the buffer (or grows it). */
    private void sendEntries() throws InterruptedException {
        detect(false);
        int cut = cutBeforeLastEntry();
        if (cut > 0) {
            send(cut, null);
        } else if (buf.length < MAX_CHUNK) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        } else {
            // one entry fills the largest buffer: cut it after its last complete line
            int nl = lastLineFeed(len);
            int at = nl < 0 ? len : nl + 1;
            byte[] next = lastEntryHead(at);
            send(at, next != null ? next : head);
        }
    }

    /** Sends every complete line. */
    private void sendLines() throws InterruptedException {
        detect(false);
        int nl = lastLineFeed(len);
        if (nl >= 0) {
            send(nl + 1, null);
        }
    }

    /** Sends everything, a last line without its line feed included. */
    private void sendAll() throws InterruptedException {
        detect(true);
        if (len > 0) {
            send(len, null);
        }
    }

    /**
     * Sends {@code buf[0, cut)} and keeps the rest.
     *
     * @param nextHead the head of the entry the next chunk continues, or {@code null}
     */
    private void send(int cut, byte[] nextHead) throws InterruptedException {
        byte[] rest = new byte[Math.max(CHUNK, len - cut + CHUNK / 2)];
        System.arraycopy(buf, cut, rest, 0, len - cut);
        Chunk chunk = Chunk.of(input, buf, cut, atStart, head);
        buf = rest;
        len -= cut;
        atStart = false;
        head = nextHead;
        tx.send(chunk);
    }

    /** The start of the last complete line that starts an entry; 0 if none but the first. */
    private int cutBeforeLastEntry() {
        return Math.max(0, lastEntryLine(lastLineFeed(len)));
    }

    /** A copy of the first line of the last entry that starts before {@code at}, or null. */
    private byte[] lastEntryHead(int at) {
        int start = lastEntryLine(lastLineFeed(at));
        if (start < 0) {
            return null;
        }
        int end = start;
        while (buf[end] != '\n') {
            end++;
        }
        return Arrays.copyOfRange(buf, start, end > start && buf[end - 1] == '\r' ? end - 1 : end);
    }

    /**
     * The start of the last line that starts an entry among the lines ending at or before the
     * line feed at {@code nl}, or -1 if none does (or {@code nl < 0}).
     */
    private int lastEntryLine(int nl) {
        Format f = input.format;
        int end = nl;
        while (end >= 0) {
            int start = lastLineFeed(end) + 1;
            int e = end > start && buf[end - 1] == '\r' ? end - 1 : end;
            boolean continues =
                    f != null
                            ? f.continues(buf, start, e)
                            : Format.continuesAnyFormat(buf, start, e);
            if (!continues) {
                return start;
            }
            end = start - 1;
        }
        return -1;
    }

    /** The index of the last line feed before {@code before}, or -1. */
    private int lastLineFeed(int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case MalformedInputException x -> "not UTF-8 text";
            default ->
                    e.getMessage() != null && e.getMessage().contains("Is a directory")
                            ? "is a directory"
                            : e.toString();
        };
    }
}
