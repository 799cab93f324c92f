package dev.pipeline.logs;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * One input (a file, or a generated source) and what happened to its lines. The reader sets the
 * format, the year base, a failure and the rotations; the writer thread alone updates the counts,
 * in chunk order; the report reads them after the run.
 */
final class Input extends Counts {
    /** The input as the user gave it: dead letters name it. */
    final String origin;

    /** The file, or {@code null} for a generated source. */
    final Path path;

    /** The open file while its ranges are read (non-follow runs), else null. */
    volatile FileChannel channel;

    volatile Format format;
    volatile boolean detected;
    private volatile int baseYear;
    private volatile int baseMonth;
    volatile String failure;
    volatile int rotations;
    volatile int truncations;

    /** Lines of this file before the chunk the writer handles next; for dead letters' numbers. */
    long lineBase;

    Input(String origin, Path path) {
        this.origin = origin;
        this.path = path;
        setModified(Instant.now(), ZoneId.systemDefault());
    }

    /** The file's modification time: a line's missing year is this time's year in the zone. */
    void setModified(Instant mtime, ZoneId zone) {
        ZonedDateTime t = mtime.atZone(zone);
        baseYear = t.getYear();
        baseMonth = t.getMonthValue();
    }

    /**
     * The year of a line without one: the modification year, or the one before for a month
     * after the modification month (a file modified in January holds last December's lines).
     */
    int yearFor(int month) {
        return month > baseMonth ? baseYear - 1 : baseYear;
    }
}
