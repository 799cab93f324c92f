package dev.pipeline.logs;

/**
 * What happened to lines: read, written, filtered, dead-lettered (in lines), entries per level,
 * invalid UTF-8 sequences replaced, entries read by another format than their input's. A parsed
 * chunk's counts, and an input's sums of them. Not thread-safe.
 */
abstract class Counts {
    long lines;
    long written;
    long filtered;
    long deadLettered;
    long invalidUtf8;
    long otherFormat;
    final long[] entriesByLevel = new long[Level.values().length];

    /** Adds another's counts to these. */
    void add(Counts c) {
        lines += c.lines;
        written += c.written;
        filtered += c.filtered;
        deadLettered += c.deadLettered;
        invalidUtf8 += c.invalidUtf8;
        otherFormat += c.otherFormat;
        for (int i = 0; i < entriesByLevel.length; i++) {
            entriesByLevel[i] += c.entriesByLevel[i];
        }
    }
}
