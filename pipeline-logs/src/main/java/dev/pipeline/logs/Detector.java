package dev.pipeline.logs;

/**
 * Detects an input's format from its first lines: each format parses up to {@value #SAMPLE}
 * lines that start an entry, and the one that reads the most wins (the earlier in {@link Format}'s
 * order on a tie). No format reading any of them means the format is unknown: every line is then
 * tried against every format.
 */
final class Detector {
    static final int SAMPLE = 50;

    private Detector() {}

    /**
     * The format of the lines in {@code b[0, len)}, or {@code null}.
     *
     * @param complete whether the last line is complete even without a line feed
     */
    static Format detect(byte[] b, int len, boolean complete) {
        Format[] formats = Format.all();
        int[] score = new int[formats.length];
        Entry en = new Entry();
        int sampled = 0;
        int i = 0;
        while (i < len && sampled < SAMPLE) {
            int s = i;
            int nl = Scan.indexOf(b, i, len, '\n');
            if (nl < 0 && !complete) {
                break;
            }
            int e = nl < 0 ? len : nl;
            i = e + 1;
            if (e > s && b[e - 1] == '\r') {
                e--;
            }
            if (e == s || b[s] == ' ' || b[s] == '\t' || Format.continuesAnyFormat(b, s, e)) {
                continue; // continuation lines say nothing about the format
            }
            sampled++;
            for (int f = 0; f < formats.length; f++) {
                en.reset();
                if (formats[f].parse(b, s, e, en) == null) {
                    score[f]++;
                }
            }
        }
        int best = -1;
        for (int f = 0; f < formats.length; f++) {
            if (score[f] > 0 && (best < 0 || score[f] > score[best])) {
                best = f;
            }
        }
        return best < 0 ? null : formats[best];
    }
}
