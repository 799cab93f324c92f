package dev.pipeline.logs;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Calendar arithmetic on plain integers, so that normalising a timestamp allocates nothing: days
 * from a civil date and back (the algorithms of Howard Hinnant's "chrono-compatible low-level date
 * algorithms", proleptic Gregorian calendar), and the ISO-8601 instant text {@link
 * java.time.Instant#toString()} writes.
 */
final class Timestamps {
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private Timestamps() {}

    /**
     * A run's zone for timestamps that name none: the one given, or the system's, looked up when
     * first needed. The lookup reads the time-zone database (tens of milliseconds at start-up),
     * which inputs whose timestamps name their zone and year never need. Thread-safe: threads
     * that look it up at once all get the same zone.
     */
    static final class LazyZone {
        private volatile ZoneId zone;

        /**
         * @param zone the zone, or {@code null} for the system's
         */
        LazyZone(ZoneId zone) {
            this.zone = zone;
        }

        ZoneId get() {
            ZoneId z = zone;
            if (z == null) {
                z = ZoneId.systemDefault();
                zone = z;
            }
            return z;
        }
    }

    /** Whether the fields make a real date and time (second 60 is refused). */
    static boolean valid(int year, int month, int day, int hour, int minute, int second) {
        return year >= 0
                && year <= 9999
                && month >= 1
                && month <= 12
                && day >= 1
                && day <= daysInMonth(year, month)
                && hour >= 0
                && hour <= 23
                && minute >= 0
                && minute <= 59
                && second >= 0
                && second <= 59;
    }

    static int daysInMonth(int year, int month) {
        return month == 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
    }

    static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a civil date. */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /** Seconds since the epoch of a local date and time, as if it were UTC. */
    static long epochSecond(int year, int month, int day, int hour, int minute, int second) {
        return epochDay(year, month, day) * 86400 + hour * 3600L + minute * 60L + second;
    }

    /**
     * Appends the instant {@code epochSecond + nanos} the way {@link java.time.Instant#toString()}
     * does: {@code yyyy-MM-ddTHH:mm:ss}, then 3, 6 or 9 digits of fraction when it is not zero,
     * then {@code Z}. Years 0 to 9999 only.
     */
    static void appendInstant(ByteOut out, long epochSecond, int nanos) {
        long days = Math.floorDiv(epochSecond, 86400);
        int secondOfDay = (int) (epochSecond - days * 86400);
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long dayOfEra = z - era * 146097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        out.digits(year, 4);
        out.put('-');
        out.digits(month, 2);
        out.put('-');
        out.digits(day, 2);
        out.put('T');
        out.digits(secondOfDay / 3600, 2);
        out.put(':');
        out.digits(secondOfDay / 60 % 60, 2);
        out.put(':');
        out.digits(secondOfDay % 60, 2);
        if (nanos != 0) {
            out.put('.');
            if (nanos % 1_000_000 == 0) {
                out.digits(nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                out.digits(nanos / 1000, 6);
            } else {
                out.digits(nanos, 9);
            }
        }
        out.put('Z');
    }

    /**
     * The offset of a zone at local times, remembered per quarter hour of local time (every
     * offset change of the tz database falls on one), so a file of lines costs a lookup per
     * quarter hour of its time span. The zone's rules are looked up at the first offset asked
     * for. Not thread-safe: one per worker and chunk.
     */
    static final class ZoneCache {
        private final LazyZone zone;
        private ZoneRules rules;
        private int fixed;
        private long lastQuarter = Long.MIN_VALUE;
        private int lastOffset;

        ZoneCache(LazyZone zone) {
            this.zone = zone;
        }

        ZoneCache(ZoneId zone) {
            this(new LazyZone(zone));
        }

        /**
         * The offset in seconds at a local time given as seconds since the epoch read as UTC; in
         * an overlap, the earlier offset; in a gap, the offset before it.
         */
        int offsetAt(long localEpochSecond) {
            if (rules == null) {
                rules = zone.get().getRules();
                fixed =
                        rules.isFixedOffset()
                                ? rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds()
                                : Integer.MIN_VALUE;
            }
            if (fixed != Integer.MIN_VALUE) {
                return fixed;
            }
            long quarter = Math.floorDiv(localEpochSecond, 900);
            if (quarter != lastQuarter) {
                LocalDateTime t = LocalDateTime.ofEpochSecond(localEpochSecond, 0, ZoneOffset.UTC);
                lastOffset =
                        rules.getValidOffsets(t).isEmpty()
                                ? rules.getOffset(t.minusHours(3)).getTotalSeconds()
                                : rules.getOffset(t).getTotalSeconds();
                lastQuarter = quarter;
            }
            return lastOffset;
        }
    }
}
