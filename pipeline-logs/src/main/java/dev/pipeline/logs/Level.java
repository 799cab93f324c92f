package dev.pipeline.logs;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The six levels the aggregator writes, least severe first, and the words of every format that
 * map onto them (in any case): TRACE (FINEST, FINER, VERBOSE, TRC, VRB, T, V), DEBUG (FINE, DBG,
 * D), INFO (INFORMATION, INFORMATIONAL, INF, I), WARN (WARNING, NOTICE, WRN, W, N), ERROR (ERR,
 * SEVERE, E), FATAL (CRITICAL, CRIT, EMERG, EMERGENCY, ALERT, PANIC, FTL, F, A, C).
 */
enum Level {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    private static final Level[] VALUES = values();

    /** Every word, upper case, with its level; looked up by length, then compared. */
    private static final Object[][] WORDS = {
        {"TRACE", TRACE},
        {"FINEST", TRACE},
        {"FINER", TRACE},
        {"VERBOSE", TRACE},
        {"TRC", TRACE},
        {"VRB", TRACE},
        {"T", TRACE},
        {"V", TRACE},
        {"DEBUG", DEBUG},
        {"FINE", DEBUG},
        {"DBG", DEBUG},
        {"D", DEBUG},
        {"INFO", INFO},
        {"INFORMATION", INFO},
        {"INFORMATIONAL", INFO},
        {"INF", INFO},
        {"I", INFO},
        {"WARN", WARN},
        {"WARNING", WARN},
        {"NOTICE", WARN},
        {"WRN", WARN},
        {"W", WARN},
        {"N", WARN},
        {"ERROR", ERROR},
        {"ERR", ERROR},
        {"SEVERE", ERROR},
        {"E", ERROR},
        {"FATAL", FATAL},
        {"CRITICAL", FATAL},
        {"CRIT", FATAL},
        {"EMERG", FATAL},
        {"EMERGENCY", FATAL},
        {"ALERT", FATAL},
        {"PANIC", FATAL},
        {"FTL", FATAL},
        {"F", FATAL},
        {"A", FATAL},
        {"C", FATAL},
    };

    private static final int MAX_WORD = 13;

    /** [length] -> the words of that length, upper-case ASCII bytes. */
    private static final byte[][][] BY_LENGTH = new byte[MAX_WORD + 1][][];

    private static final Level[][] LEVEL_BY_LENGTH = new Level[MAX_WORD + 1][];

    static {
        for (int len = 1; len <= MAX_WORD; len++) {
            int n = 0;
            for (Object[] w : WORDS) {
                if (((String) w[0]).length() == len) {
                    n++;
                }
            }
            BY_LENGTH[len] = new byte[n][];
            LEVEL_BY_LENGTH[len] = new Level[n];
            int i = 0;
            for (Object[] w : WORDS) {
                if (((String) w[0]).length() == len) {
                    BY_LENGTH[len][i] = ((String) w[0]).getBytes(StandardCharsets.US_ASCII);
                    LEVEL_BY_LENGTH[len][i++] = (Level) w[1];
                }
            }
        }
    }

    /** The name as written, ASCII bytes. */
    final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);

    /** Whether this level is {@code min} or more severe. */
    boolean atLeast(Level min) {
        return ordinal() >= min.ordinal();
    }

    /** The level at {@code ordinal}. */
    static Level of(int ordinal) {
        return VALUES[ordinal];
    }

    /**
     * The level a word names, in any case, or {@code null} if it names none.
     *
     * @param b the bytes
     * @param from the first byte of the word
     * @param to after its last byte
     */
    static Level parse(byte[] b, int from, int to) {
        int len = to - from;
        // the six names as written, the common case, first
        if (len == 4 || len == 5) {
            Level l = exact(b, from, len);
            if (l != null) {
                return l;
            }
        }
        if (len < 1 || len > MAX_WORD) {
            return null;
        }
        byte[][] words = BY_LENGTH[len];
        next:
        for (int w = 0; w < words.length; w++) {
            byte[] word = words[w];
            for (int i = 0; i < len; i++) {
                int c = b[from + i];
                if (c >= 'a' && c <= 'z') {
                    c -= 'a' - 'A';
                }
                if (c != word[i]) {
                    continue next;
                }
            }
            return LEVEL_BY_LENGTH[len][w];
        }
        return null;
    }

    /** One of the six names, in upper case, of 4 or 5 letters at {@code from}, or null. */
    private static Level exact(byte[] b, int from, int len) {
        Level l =
                switch (b[from]) {
                    case 'I' -> INFO;
                    case 'W' -> WARN;
                    case 'D' -> DEBUG;
                    case 'E' -> ERROR;
                    case 'T' -> TRACE;
                    case 'F' -> FATAL;
                    default -> null;
                };
        if (l == null || l.bytes.length != len) {
            return null;
        }
        byte[] name = l.bytes;
        for (int i = 1; i < len; i++) {
            if (b[from + i] != name[i]) {
                return null;
            }
        }
        return l;
    }

    /** The level a word names, in any case, or {@code null}. */
    static Level parse(String word) {
        byte[] b = word.trim().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /**
     * The level of a syslog severity (RFC 5424 table 2): 0-2 FATAL, 3 ERROR, 4-5 WARN (warning,
     * notice), 6 INFO, 7 DEBUG.
     */
    static Level ofSyslogSeverity(int severity) {
        return switch (severity) {
            case 0, 1, 2 -> FATAL;
            case 3 -> ERROR;
            case 4, 5 -> WARN;
            case 6 -> INFO;
            default -> DEBUG;
        };
    }

    /**
     * The level of a numeric level as bunyan and pino write them (10 trace, 20 debug, 30 info, 40
     * warn, 50 error, 60 fatal), or {@code null} for another number.
     */
    static Level ofNumber(long n) {
        return n >= 10 && n <= 60 && n % 10 == 0 ? VALUES[(int) (n / 10) - 1] : null;
    }
}
