package dev.pipeline.logs;

/**
 * Whole lines of one input, as read, cut so that no entry is split (except one longer than a
 * reader's largest buffer, which the {@code head} then carries on).
 *
 * @param input where the lines come from
 * @param bytes the lines, {@code bytes[0, length)}; the last may lack its line feed
 * @param length how many bytes are lines
 * @param atStart whether the chunk starts the input (or a rotated or truncated file)
 * @param head when the chunk continues an entry begun in an earlier chunk, that entry's first
 *     line; else {@code null}
 */
record Chunk(Input input, byte[] bytes, int length, boolean atStart, byte[] head) {}
