package dev.pipeline.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer the parse workers write output into: plain bytes, fixed-width numbers,
 * and text copied as valid UTF-8 (each invalid sequence becomes U+FFFD), optionally escaped for
 * a dead-letter field or a JSON string. Not thread-safe.
 */
final class ByteOut {
    /** How text is copied. */
    enum Escape {
        /** As is (invalid UTF-8 replaced). */
        NONE,
        /**
         * For a dead-letter field: backslash, tab, CR, LF as {@code \\ \t \r \n}, other control
         * characters as {@code \xHH}, so a field never contains a tab or a line break.
         */
        FIELD,
        /** For the inside of a JSON string (RFC 8259). */
        JSON
    }

    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    ByteOut(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int length() {
        return len;
    }

    byte[] array() {
        return buf;
    }

    void clear() {
        len = 0;
    }

    /** Drops everything after {@code length}. */
    void truncate(int length) {
        len = length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    void put(byte[] b) {
        put(b, 0, b.length);
    }

    void put(byte[] b, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(b, from, buf, len, n);
        len += n;
    }

    /** Appends ASCII text (names, numbers, fixed words). */
    void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /** Appends {@code value} in exactly {@code width} decimal digits, zero-padded. */
    void digits(int value, int width) {
        ensure(width);
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len += width;
    }

    /** Appends a decimal number. */
    void number(long value) {
        putAscii(Long.toString(value));
    }

    /**
     * Appends text from {@code b[from, to)} as valid UTF-8, escaped as asked.
     *
     * @param ascii the caller knows every byte is below 0x80 (a plain copy is enough when no
     *     escaping is asked)
     */
    void text(byte[] b, int from, int to, boolean ascii, Escape escape) {
        if (escape == Escape.NONE && ascii) {
            put(b, from, to);
            return;
        }
        ensure(to - from);
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c >= 0) {
                if (escape != Escape.NONE && (c < 0x20 || c == 0x7F || c == '\\' || c == '"')) {
                    escaped(c, escape);
                } else {
                    ensure(1);
                    buf[len++] = (byte) c;
                }
                i++;
            } else {
                int n = Utf8.validLength(b, i, to);
                if (n > 0) {
                    put(b, i, i + n);
                    i += n;
                } else {
                    put(REPLACEMENT);
                    i += -n;
                }
            }
        }
    }

    /** Appends a string as UTF-8, escaped as asked. */
    void text(String s, Escape escape) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        text(b, 0, b.length, false, escape);
    }

    private void escaped(int c, Escape escape) {
        if (c == '"') {
            if (escape == Escape.JSON) {
                put('\\');
            }
            put('"');
            return;
        }
        put('\\');
        switch (c) {
            case '\\' -> put('\\');
            case '\t' -> put('t');
            case '\n' -> put('n');
            case '\r' -> put('r');
            default -> {
                if (escape == Escape.JSON) {
                    putAscii("u00");
                } else {
                    put('x');
                }
                put((char) HEX[c >> 4]);
                put((char) HEX[c & 15]);
            }
        }
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Buffers the writer hands back once it has written them, for the parse workers to fill
     * again: a run then allocates about as many buffers as it has chunks in flight, not one per
     * chunk (each would be young garbage, and every young collection would copy the buffers still
     * in flight). Keeps at most {@code max} free buffers, each as large as it grew. Thread-safe.
     */
    static final class Pool {
        private final ByteOut[] free;
        private int size;

        Pool(int max) {
            free = new ByteOut[max];
        }

        /**
         * An empty buffer: a free one (it grows if it has to, as any does), or a new one of
         * {@code capacity} bytes.
         */
        ByteOut take(int capacity) {
            ByteOut b;
            synchronized (this) {
                if (size == 0) {
                    return new ByteOut(capacity);
                }
                b = free[--size];
                free[size] = null;
            }
            b.clear();
            return b;
        }

        /** Hands a buffer back; its bytes are no longer read. Dropped when the pool is full. */
        synchronized void give(ByteOut b) {
            if (size < free.length) {
                free[size++] = b;
            }
        }
    }
}
