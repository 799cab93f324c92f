package dev.pipeline.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Splits a log file into entries as the aggregator reads them: the file's format is detected from
 * its first 64 KiB, and a line that continues the entry above it (blank, indented, a stack trace's
 * {@code Caused by: …}, an apt history record's lines…) goes with that entry. What a shipper needs
 * to publish a file entry by entry, so that {@code LogAggregator --from-kafka} reads each record as
 * one whole entry and counts its lines as a run over the file would.
 *
 * <pre>{@code
 * long entries = LogEntries.forEach(Path.of("app.log"), entry -> producer.send(
 *         new ProducerRecord<>("logs", null, mtime, key, entry)));
 * }</pre>
 *
 * <p>Each entry is its lines, each ending with a line feed (a last line without one gets one), so
 * that an entry's lines are counted alike in a file and in a record. Lines end at LF, a CR before it
 * is dropped; the bytes are otherwise the file's (invalid UTF-8 stays as it is). Continuation lines at the top of a file, which continue
 * no entry, are entries of one line each (the aggregator dead-letters them, as it does in a file).
 * Stateless and thread-safe; it reads the file twice (the sample, then the whole), streaming.
 */
public final class LogEntries {
    private LogEntries() {}

    /** What to do with each entry. */
    @FunctionalInterface
    public interface Action {
        /**
         * Takes one entry.
         *
         * @param entry the entry's lines, each ending with a line feed, as the file's bytes (UTF-8
         *     unless the file is not); a new array
         * @throws Exception to stop: {@link #forEach} throws it on
         */
        void accept(byte[] entry) throws Exception;
    }

    /**
     * Reads {@code file} and hands its entries to {@code action}, in order, on the calling thread.
     *
     * @param file a log file
     * @param action takes each entry
     * @return the number of entries
     * @throws IOException if the file cannot be read
     * @throws Exception whatever {@code action} throws
     */
    public static long forEach(Path file, Action action) throws Exception {
        Format format;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] sample = in.readNBytes(FileRanges.SAMPLE);
            format = Detector.detect(sample, sample.length, in.read() < 0);
        }
        long entries = 0;
        java.io.ByteArrayOutputStream entry = new java.io.ByteArrayOutputStream();
        boolean open = false; // an entry has started
        byte[] line = new byte[256];
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 65536)) {
            int len = 0;
            boolean more = true;
            while (more) {
                int c = in.read();
                if (c >= 0 && c != '\n') {
                    if (len == line.length) {
                        line = Arrays.copyOf(line, len * 2);
                    }
                    line[len++] = (byte) c;
                    continue;
                }
                more = c >= 0;
                if (!more && len == 0) {
                    break; // the file ended with a line feed
                }
                int e = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
                boolean continues =
                        format != null
                                ? format.continues(line, 0, e)
                                : Format.continuesAnyFormat(line, 0, e);
                if (!continues || !open) {
                    if (entry.size() > 0) {
                        action.accept(entry.toByteArray());
                        entries++;
                        entry.reset();
                    }
                    open = !continues;
                }
                entry.write(line, 0, e);
                entry.write('\n');
                if (continues && !open) {
                    action.accept(entry.toByteArray()); // continues no entry: alone
                    entries++;
                    entry.reset();
                }
                len = 0;
            }
        }
        if (entry.size() > 0) {
            action.accept(entry.toByteArray());
            entries++;
        }
        return entries;
    }
}
