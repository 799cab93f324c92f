package dev.pipeline.logs;

/**
 * Hand-written scanning over a line's bytes {@code b[.., end)}: fixed-width numbers, spaces,
 * tokens, ISO-8601 date-times. Every method looks at each byte at most once and returns a
 * position, or {@code -1} when the text is not what it expects; nothing backtracks.
 */
final class Scan {
    private static final byte[][] MONTHS = {
        bytes("Jan"), bytes("Feb"), bytes("Mar"), bytes("Apr"), bytes("May"), bytes("Jun"),
        bytes("Jul"), bytes("Aug"), bytes("Sep"), bytes("Oct"), bytes("Nov"), bytes("Dec")
    };

    private Scan() {}

    static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The value of exactly {@code n} digits at {@code p}, or -1. */
    static int num(byte[] b, int p, int end, int n) {
        if (p < 0 || p + n > end) {
            return -1;
        }
        int v = 0;
        for (int i = p; i < p + n; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }

    /**
     * {@code [byte & 0xff]}: the digit's value, or -1000 for a byte that is not a digit, so that
     * any two-digit value with a non-digit in it is negative.
     */
    private static final int[] DIGIT = new int[256];

    static {
        java.util.Arrays.fill(DIGIT, -1000);
        for (int c = '0'; c <= '9'; c++) {
            DIGIT[c] = c - '0';
        }
    }

    /**
     * The value of the two digits at {@code p} (which must be in the line), or a negative number.
     * A table look-up rather than range checks keeps it under C1's inlining limit (35 bytes of
     * bytecode): it runs seven times for every timestamp.
     */
    static int d2(byte[] b, int p) {
        return DIGIT[b[p] & 0xFF] * 10 + DIGIT[b[p + 1] & 0xFF];
    }

    /** After a run of at least one digit at {@code p}, or -1. */
    static int digits(byte[] b, int p, int end) {
        int i = p;
        while (i < end && isDigit(b[i])) {
            i++;
        }
        return i > p ? i : -1;
    }

    /** Whether {@code b[p]} is {@code c}. */
    static boolean at(byte[] b, int p, int end, char c) {
        return p >= 0 && p < end && b[p] == c;
    }

    static int skipSpaces(byte[] b, int p, int end) {
        while (p < end && b[p] == ' ') {
            p++;
        }
        return p;
    }

    /** After one or more spaces at {@code p}, or -1. */
    static int spaces(byte[] b, int p, int end) {
        return at(b, p, end, ' ') ? skipSpaces(b, p + 1, end) : -1;
    }

    /** The end of the token at {@code p}: the next space or the end of the line. */
    static int tokenEnd(byte[] b, int p, int end) {
        while (p < end && b[p] != ' ') {
            p++;
        }
        return p;
    }

    static int indexOf(byte[] b, int p, int end, char c) {
        for (int i = p; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code b[p, end)} starts with {@code prefix}. */
    static boolean startsWith(byte[] b, int p, int end, byte[] prefix) {
        if (end - p < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[p + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The month (1-12) of an English three-letter abbreviation at {@code p}, or -1. */
    static int month(byte[] b, int p, int end) {
        if (p + 3 > end) {
            return -1;
        }
        for (int m = 0; m < 12; m++) {
            byte[] name = MONTHS[m];
            if (b[p] == name[0] && b[p + 1] == name[1] && b[p + 2] == name[2]) {
                return m + 1;
            }
        }
        return -1;
    }

    /**
     * A date at {@code p} into the entry: a year of {@code yearDigits} digits (2: 2000 to 2099),
     * {@code sep}, the month, {@code sep}, the day, then a space; after the space, or -1.
     */
    static int ymd(byte[] b, int p, int end, Entry en, int yearDigits, char sep) {
        int year = num(b, p, end, yearDigits);
        int q = p + yearDigits;
        en.month = num(b, q + 1, end, 2);
        en.day = num(b, q + 4, end, 2);
        if (year < 0
                || en.month < 0
                || en.day < 0
                || !at(b, q, end, sep)
                || !at(b, q + 3, end, sep)
                || !at(b, q + 6, end, ' ')) {
            return -1;
        }
        en.year = yearDigits == 2 ? 2000 + year : year;
        return q + 7;
    }

    /** {@code HH:mm:ss} at {@code p} into the entry; after it, or -1. */
    static int time(byte[] b, int p, int end, Entry en) {
        en.hour = num(b, p, end, 2);
        en.minute = num(b, p + 3, end, 2);
        en.second = num(b, p + 6, end, 2);
        if (en.hour < 0 || en.minute < 0 || en.second < 0 || b[p + 2] != ':' || b[p + 5] != ':') {
            return -1;
        }
        return p + 8;
    }

    /** {@code [n]}: what a fraction of {@code n} digits is multiplied by to make nanoseconds. */
    private static final int[] SCALE = {
        1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1
    };

    /** An optional fraction of a second after {@code sep} at {@code p}; after it. */
    static int fraction(byte[] b, int p, int end, Entry en, char sep1, char sep2) {
        if (p < end && (b[p] == sep1 || b[p] == sep2) && p + 1 < end && isDigit(b[p + 1])) {
            int i = p + 1;
            int nanos = 0;
            int n = 0;
            while (i < end && isDigit(b[i])) {
                if (n < 9) {
                    nanos = nanos * 10 + (b[i] - '0');
                    n++;
                }
                i++;
            }
            en.nanos = nanos * SCALE[n];
            return i;
        }
        return p;
    }

    /**
     * {@code yyyy-MM-dd} at {@code p}, then one of {@code T} or a space, then {@code HH:mm:ss},
     * an optional fraction after {@code .} or {@code ,}, an optional zone ({@code Z}, {@code
     * +hh:mm}, {@code +hhmm}, {@code +hh}); after it, or -1.
     *
     * @param allowT whether {@code T} separates date and time
     * @param allowSpace whether a space separates them
     */
    static int isoDateTime(byte[] b, int p, int end, Entry en, boolean allowT, boolean allowSpace) {
        if (p + 19 > end) {
            return -1;
        }
        // fixed positions, two digits at a time
        int y1 = d2(b, p);
        int y2 = d2(b, p + 2);
        int mo = d2(b, p + 5);
        int d = d2(b, p + 8);
        int h = d2(b, p + 11);
        int mi = d2(b, p + 14);
        int s = d2(b, p + 17);
        byte sep = b[p + 10];
        if ((y1 | y2 | mo | d | h | mi | s) < 0
                || b[p + 4] != '-'
                || b[p + 7] != '-'
                || b[p + 13] != ':'
                || b[p + 16] != ':'
                || !((allowT && sep == 'T') || (allowSpace && sep == ' '))) {
            return -1;
        }
        en.year = y1 * 100 + y2;
        en.month = mo;
        en.day = d;
        en.hour = h;
        en.minute = mi;
        en.second = s;
        int q = p + 19;
        int f = fraction(b, q, end, en, '.', ',');
        int z = zone(b, f, end, en);
        if (sep == 'T' && z == f + 1 && (f == q || b[q] == '.' && instantDigits(b, q, f))) {
            en.instantFrom = p; // ends in Z, so zone() read exactly one byte
            en.instantTo = z;
        }
        return z;
    }

    /**
     * Whether the fraction {@code b[q, f)} ({@code .} and digits) is what {@link
     * java.time.Instant#toString()} writes for it: 3, 6 or 9 digits, the fewest that hold it,
     * so the last three are not all zeros (the digits are ASCII, so or'ed they are {@code '0'}
     * only when all are).
     */
    private static boolean instantDigits(byte[] b, int q, int f) {
        int n = f - q - 1;
        return (n == 3 || n == 6 || n == 9) && (b[f - 1] | b[f - 2] | b[f - 3]) != '0';
    }

    /** An optional zone at {@code p} into the entry; after it, or -1 if it is malformed. */
    static int zone(byte[] b, int p, int end, Entry en) {
        if (p >= end) {
            return p;
        }
        byte c = b[p];
        if (c == 'Z') {
            en.offsetSeconds = 0;
            return p + 1;
        }
        if (c != '+' && c != '-') {
            return p;
        }
        int hours = num(b, p + 1, end, 2);
        if (hours < 0 || hours > 18) {
            return -1;
        }
        int q = p + 3;
        int minutes = 0;
        if (at(b, q, end, ':')) {
            minutes = num(b, q + 1, end, 2);
            q += 3;
        } else if (num(b, q, end, 2) >= 0) {
            minutes = num(b, q, end, 2);
            q += 2;
        }
        if (minutes < 0 || minutes > 59) {
            return -1;
        }
        int offset = hours * 3600 + minutes * 60;
        en.offsetSeconds = c == '-' ? -offset : offset;
        return q;
    }

    /** The end of a bracketed {@code [...]} at {@code p} (after the bracket), or -1. */
    static int bracket(byte[] b, int p, int end) {
        // written to stay under C1's inlining limit (35 bytes of bytecode)
        return at(b, p, end, '[') ? after(indexOf(b, p + 1, end, ']')) : -1;
    }

    /** After the byte at {@code i}, or -1 if {@code i} is -1 (not found). */
    private static int after(int i) {
        return i < 0 ? -1 : i + 1;
    }
}
