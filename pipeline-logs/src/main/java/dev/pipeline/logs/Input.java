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
    private volatile Modified modified;
    volatile String failure;
    volatile int rotations;
    volatile int truncations;

    /** Lines of this file before the chunk the writer handles next; for dead letters' numbers. */
    long lineBase;

    /**
     * A Kafka record's input: the input of its partition, to which the writer adds its counts;
     * {@code null} for a file or a generated source.
     */
    Input total;

    /** A Kafka record's offset in its partition; -1 otherwise. */
    long offset = -1;

    /**
     * A Kafka partition's input: records consumed, by format (the index of a {@link Format}, then
     * one for records of no known format); {@code null} for a file or a generated source. The
     * writer alone updates these, and the other fields below.
     */
    long[] recordsByFormat;

    /** A Kafka partition's records consumed, and the first and last of their offsets. */
    long records;

    long firstOffset = -1;
    long lastOffset = -1;

    Input(String origin, Path path) {
        this.origin = origin;
        this.path = path;
        setModified(Instant.now(), new Timestamps.LazyZone(null));
    }

    /**
     * Adds a record's counts to its partition's input ({@link #total}): the writer's thread only.
     *
     * @param p what the record's lines became
     */
    void addRecord(Parsed p) {
        Input t = total;
        t.add(p);
        t.records++;
        if (t.firstOffset < 0 || offset < t.firstOffset) {
            t.firstOffset = offset;
        }
        t.lastOffset = Math.max(t.lastOffset, offset);
        t.recordsByFormat[format != null ? format.ordinal() : Format.values().length]++;
    }

    /**
     * The file's modification time: a line's missing year is this time's year in the zone.
     *
     * @param zone the run's zone (looked up only if a line needs it)
     */
    void setModified(Instant mtime, Timestamps.LazyZone zone) {
        modified = new Modified(mtime, zone);
    }

    void setModified(Instant mtime, ZoneId zone) {
        setModified(mtime, new Timestamps.LazyZone(zone));
    }

    /**
     * The year of a line without one: the modification year, or the one before for a month
     * after the modification month (a file modified in January holds last December's lines).
     */
    int yearFor(int month) {
        int yearMonth = modified.yearMonth();
        int year = yearMonth >> 4;
        return month > (yearMonth & 15) ? year - 1 : year;
    }

    /**
     * A modification time, with its year and month in the zone computed when a line first needs
     * them: most formats name the year, and the lookup of the system's zone reads the time-zone
     * database (tens of milliseconds at start-up).
     */
    private static final class Modified {
        private static final int UNKNOWN = Integer.MIN_VALUE;

        private final Instant time;
        private final Timestamps.LazyZone zone;

        /**
         * {@code year * 16 + month}, or {@link #UNKNOWN}. Workers may compute it at once: each
         * writes the same value, and an int is written whole.
         */
        private int yearMonth = UNKNOWN;

        Modified(Instant time, Timestamps.LazyZone zone) {
            this.time = time;
            this.zone = zone;
        }

        int yearMonth() {
            int ym = yearMonth;
            if (ym == UNKNOWN) {
                ZonedDateTime t = time.atZone(zone.get());
                ym = t.getYear() * 16 + t.getMonthValue();
                yearMonth = ym;
            }
            return ym;
        }
    }
}
