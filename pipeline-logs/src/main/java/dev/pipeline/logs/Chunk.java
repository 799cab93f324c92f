package dev.pipeline.logs;

/**
 * Work for a parse worker: either whole lines already read ({@code bytes}), or a range of a file
 * for the worker to read itself ({@code bytes == null}).
 *
 * <p>A range {@code [from, to)} of a file stands for the entries that start in it: the worker
 * reads from the first line that starts an entry at or after {@code from} (or from 0) to the
 * first one at or after {@code to} (or the end), so consecutive ranges split a file into chunks
 * of whole entries, whatever the line lengths, with no read before the worker's own.
 *
 * @param input where the lines come from
 * @param bytes the lines, {@code bytes[0, length)}, the last may lack its line feed; or null
 * @param length how many bytes are lines
 * @param atStart whether the chunk starts the input (or a rotated or truncated file)
 * @param head when the chunk continues an entry begun in an earlier chunk, that entry's first
 *     line; else {@code null}
 * @param from a range's start
 * @param to a range's end
 * @param parsed the range's result when it was parsed ahead ({@link FileRanges.Split}), or null
 */
record Chunk(
        Input input,
        byte[] bytes,
        int length,
        boolean atStart,
        byte[] head,
        long from,
        long to,
        Parsed parsed) {

    /** Lines already read. */
    static Chunk of(Input input, byte[] bytes, int length, boolean atStart, byte[] head) {
        return new Chunk(input, bytes, length, atStart, head, 0, 0, null);
    }

    /** A range of the input's file. */
    static Chunk range(Input input, long from, long to) {
        return new Chunk(input, null, 0, from == 0, null, from, to, null);
    }

    /** This chunk with its result. */
    Chunk withParsed(Parsed result) {
        return new Chunk(input, bytes, length, atStart, head, from, to, result);
    }
}
