package dev.pipeline.logs;

/**
 * UTF-8 validation on bytes (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
 * An invalid sequence is replaced as {@link java.nio.charset.CharsetDecoder} does: its longest
 * valid prefix (at least one byte) becomes one U+FFFD.
 */
final class Utf8 {
    private Utf8() {}

    /**
     * The length of the valid sequence starting at {@code b[i]} (a byte of 0x80 or more), or
     * minus the number of bytes one replacement character stands for.
     */
    static int validLength(byte[] b, int i, int to) {
        int lead = b[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 2;
            if (lead == 0xE0) {
                lo = 0xA0;
            } else if (lead == 0xED) {
                hi = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 3;
            if (lead == 0xF0) {
                lo = 0x90;
            } else if (lead == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return -1;
        }
        for (int k = 1; k <= n; k++) {
            if (i + k >= to) {
                return -k;
            }
            int c = b[i + k] & 0xFF;
            if (c < lo || c > hi) {
                return -k;
            }
            lo = 0x80;
            hi = 0xBF;
        }
        return n + 1;
    }

    /** The number of replacement characters {@code b[from, to)} needs. */
    static int countInvalid(byte[] b, int from, int to) {
        int count = 0;
        int i = from;
        while (i < to) {
            if (b[i] >= 0) {
                i++;
            } else {
                int n = validLength(b, i, to);
                if (n > 0) {
                    i += n;
                } else {
                    count++;
                    i += -n;
                }
            }
        }
        return count;
    }
}
