package dev.pipeline.logs;

import dev.pipeline.logs.ByteOut.Escape;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The parse stage: turns a {@link Chunk} of whole lines into output bytes and counts. It splits
 * the lines, tells entry lines from continuation lines, parses an entry with its input's format
 * (falling back to the others line by line), drops it below the minimum level before formatting
 * anything, and writes the kept ones in the text form or as JSON. A chunk never splits an entry,
 * so chunks are independent and any number of workers can parse them; thread-safe (no state).
 *
 * <p>Costs per line: one pass over its bytes to find its end (also noting a byte of 0x80 or
 * more), one scan of its first bytes by the format's parser, and for a written line one copy into
 * the output. No regular expression, and no object per line except for JSON input and dead
 * letters.
 */
final class ChunkParser {
    /** What became of the entry the next continuation line belongs to. */
    private static final int NONE = 0;

    private static final int KEPT = 1;
    private static final int FILTERED = 2;
    private static final int DEAD = 3;

    private static final byte[] ERROR_LINE = Scan.bytes("Error:");
    private static final byte[] JSON_TS = Scan.bytes("{\"timestamp\":\"");
    private static final byte[] JSON_LEVEL = Scan.bytes("\",\"level\":\"");
    private static final byte[] JSON_SOURCE = Scan.bytes("\",\"source\":\"");
    private static final byte[] JSON_MESSAGE = Scan.bytes("\",\"message\":\"");
    private static final byte[] JSON_END = Scan.bytes("\"}\n");

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Settings settings;
    private final ByteOut.Pool buffers;

    /**
     * @param settings what the command line asked
     * @param buffers where each chunk's output buffer comes from (the writer hands them back)
     */
    ChunkParser(Settings settings, ByteOut.Pool buffers) {
        this.settings = settings;
        this.buffers = buffers;
    }

    /** Parses one chunk (or hands back its result, when it was parsed ahead). */
    Parsed parse(Chunk chunk) {
        if (chunk.parsed() != null) {
            return chunk.parsed();
        }
        if (chunk.bytes() != null) {
            return parse(chunk, chunk.bytes(), 0, chunk.length());
        }
        FileRanges.Region region;
        try {
            region = FileRanges.load(chunk);
        } catch (IOException e) {
            chunk.input().failure = InputReader.describe(e);
            return new Parsed(chunk.input(), chunk.atStart(), buffers.take(16));
        }
        return parse(chunk, region.bytes(), region.from(), region.to());
    }

    /** Parses the lines {@code b[start, len)}. */
    private Parsed parse(Chunk chunk, byte[] b, int start, int len) {
        Work w = new Work(chunk, b, len, start);
        if (chunk.head() != null) {
            w.head(chunk.head());
        }
        int i = start;
        while (i < len) {
            int e = w.lineEnd(i);
            w.line(i, e > i && b[e - 1] == '\r' ? e - 1 : e, e + 1);
            i = e + 1;
        }
        return w.finish();
    }

    /**
     * One chunk's parse: the state that goes from line to line. The work per line is in small
     * methods (rather than one long loop) so that they are compiled after a few hundred lines, not
     * after a whole chunk has run in the interpreter.
     */
    private final class Work {
        private final byte[] b;
        private final int len;
        private final Input input;
        private final Format primary;
        private final boolean json;
        private final int minLevel;
        private final Entry en = new Entry();
        private final Timestamps.ZoneCache zones;
        private final Parsed r;
        private final ByteOut out;
        private int state = NONE;
        private boolean open; // a JSON entry whose message string is still open
        private int lineNo;
        private boolean ascii;

        Work(Chunk chunk, byte[] b, int len, int start) {
            this.b = b;
            this.len = len;
            this.input = chunk.input();
            this.primary = input.format;
            this.json = settings.json();
            this.minLevel = settings.minLevel().ordinal();
            this.zones = new Timestamps.ZoneCache(settings.zone());
            this.r = new Parsed(input, chunk.atStart(), buffers.take((len - start) / 4 + 64));
            this.out = r.out;
        }

        /** The chunk continues the entry of {@code head}, written or not with the one before. */
        void head(byte[] head) {
            state = headState(head, primary, en, zones, input);
            if (state == KEPT && json) {
                // that entry was written with the chunk before: its continuation comes as an
                // entry of its own, with the same fields
                open = openJson(out, head, en, zones, input);
            }
        }

        /**
         * The end of the line at {@code i}: its line feed, or {@code len}; notes whether the line
         * is ASCII. Eight bytes at a time: a line feed is a zero byte of {@code w ^ 0x0a0a..}
         * (the "has a zero byte" test of Hacker's Delight, 6-1).
         */
        int lineEnd(int i) {
            byte[] b = this.b;
            int end = len;
            long high = 0; // the line's bytes, or'ed: bit 7 of a byte tells a non-ASCII one
            while (i + 8 <= end) {
                long w = (long) LONGS.get(b, i);
                long x = w ^ 0x0A0A0A0A0A0A0A0AL;
                long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (t != 0) {
                    int k = lowestFlaggedByte(t); // the first line feed
                    ascii = ((high | (w & ((1L << (k << 3)) - 1))) & 0x8080808080808080L) == 0;
                    return i + k;
                }
                high |= w;
                i += 8;
            }
            while (i < end && b[i] != '\n') {
                high |= b[i];
                i++;
            }
            ascii = (high & 0x8080808080808080L) == 0;
            return i;
        }

        /**
         * The index (0 to 7) of the lowest byte of {@code t} whose bit 7 is set ({@code t} has no
         * other bits). Its lowest bit, moved to bit 0 of its byte, is {@code 1 << 8k}; times a
         * constant whose bytes, from the top, are 0 to 7, it has {@code k} in its top byte. Unlike
         * {@link Long#numberOfTrailingZeros}, which C1 compiles to a call, it is a few
         * instructions, inlined.
         */
        private static int lowestFlaggedByte(long t) {
            return (int) ((((t & -t) >>> 7) * 0x0001020304050607L) >>> 56);
        }

        /** One line, {@code b[s, e)}; the next line starts at {@code next}. */
        void line(int s, int e, int next) {
            lineNo++;
            if (!ascii) {
                r.invalidUtf8 += Utf8.countInvalid(b, s, e);
            }
            boolean continuation =
                    primary != null
                            ? primary.continues(b, s, e)
                            : Format.continuesAnyFormat(b, s, e);
            if (continuation) {
                continuation(s, e);
            } else {
                entry(s, e, next);
            }
        }

        private void continuation(int s, int e) {
            switch (state) {
                case KEPT -> {
                    r.written++;
                    // the aggregator's own continuation lines: their first tab is its indent
                    int from = primary == Format.PIPELINE && e > s && b[s] == '\t' ? s + 1 : s;
                    if (json) {
                        out.put('\\');
                        out.put('n');
                        out.text(b, from, e, ascii, Escape.JSON);
                    } else {
                        out.put('\t');
                        out.text(b, from, e, ascii, Escape.NONE);
                        out.put('\n');
                    }
                }
                case FILTERED -> r.filtered++;
                case DEAD -> dead(r, lineNo, "continues a dead-lettered line", b, s, e);
                default -> {
                    if (s == e) {
                        r.filtered++; // a blank line at the top of a file
                    } else {
                        dead(r, lineNo, "continues no entry (at the top of the file)", b, s, e);
                    }
                }
            }
        }

        private void entry(int s, int e, int next) {
            if (open) {
                out.put(JSON_END);
                open = false;
            }
            en.reset();
            Format used = primary;
            String reason =
                    primary != null ? primary.parse(b, s, e, en) : "matches no known format";
            if (reason != null) {
                used = fallback(b, s, e, en, primary);
                if (used != null) {
                    r.otherFormat++;
                }
            }
            // the date is checked now, the instant computed only for an entry that is written
            if (used == null || !validDate(en, input)) {
                if (used != null) {
                    reason = "impossible date or time";
                } else if (primary != null) {
                    reason = "not " + primary.displayName + ": " + reason;
                }
                dead(r, lineNo, reason, b, s, e);
                state = DEAD;
                return;
            }
            Level level = en.level != null ? en.level : settings.defaultLevel();
            if (used == Format.APT_HISTORY && recordHasError(b, next, len)) {
                level = Level.ERROR;
            }
            r.entriesByLevel[level.ordinal()]++;
            if (level.ordinal() < minLevel) {
                r.filtered++;
                state = FILTERED;
                return;
            }
            r.written++;
            state = KEPT;
            if (json) {
                writeJsonHead(out, b, ascii, en, zones, level);
                open = true;
            } else {
                writeText(level);
            }
        }

        private void writeText(Level level) {
            instant(out, b, en, zones);
            out.put(' ');
            out.put(level.bytes);
            out.put(' ');
            out.put('[');
            source(out, b, ascii, en, Escape.NONE);
            out.put(']');
            out.put(' ');
            if (en.messageString != null) {
                multiLine(en.messageString);
            } else {
                out.text(b, en.messageFrom, en.messageTo, ascii, Escape.NONE);
            }
            out.put('\n');
        }

        /**
         * A message with line breaks (from a JSON string): its second and later lines are written
         * as continuation lines, indented by a tab, so the entry stays one entry when read again.
         */
        private void multiLine(String message) {
            int from = 0;
            int nl;
            while ((nl = message.indexOf('\n', from)) >= 0) {
                int to = nl > from && message.charAt(nl - 1) == '\r' ? nl - 1 : nl;
                out.text(message.substring(from, to), Escape.NONE);
                out.put('\n');
                out.put('\t');
                from = nl + 1;
            }
            out.text(from == 0 ? message : message.substring(from), Escape.NONE);
        }

        Parsed finish() {
            if (open) {
                out.put(JSON_END);
            }
            r.lines = lineNo;
            return r;
        }
    }

    /** The other formats, in order, for a line the input's format does not read. */
    private static Format fallback(byte[] b, int s, int e, Entry en, Format primary) {
        for (Format f : Format.all()) {
            if (f != primary) {
                en.reset();
                if (f.parse(b, s, e, en) == null) {
                    return f;
                }
            }
        }
        return null;
    }

    /**
     * Whether the entry's date and time are real (a missing year inferred into the entry) and
     * within years 1 to 9998, so that any zone keeps its instant within the written range.
     */
    private boolean validDate(Entry en, Input input) {
        if (en.epochKnown) {
            return en.epochSecond >= -62_135_596_800L && en.epochSecond < 253_370_764_800L;
        }
        if (!en.yearKnown) {
            en.year = settings.year() != 0 ? settings.year() : input.yearFor(en.month);
            en.yearKnown = true;
        }
        return en.year >= 1
                && en.year <= 9998
                && Timestamps.valid(en.year, en.month, en.day, en.hour, en.minute, en.second);
    }

    /**
     * The instant of an entry whose date is {@link #validDate valid}, in seconds since the epoch
     * (its nanos stay in the entry); a missing zone is the configured one.
     */
    private static long epochSecond(Entry en, Timestamps.ZoneCache zones) {
        if (en.epochKnown) {
            return en.epochSecond;
        }
        long local =
                Timestamps.epochSecond(en.year, en.month, en.day, en.hour, en.minute, en.second);
        int offset =
                en.offsetSeconds != Entry.UNKNOWN_OFFSET ? en.offsetSeconds : zones.offsetAt(local);
        return local - offset;
    }

    /** Writes the entry's instant: copied when the line has it as written, else computed. */
    private static void instant(ByteOut out, byte[] b, Entry en, Timestamps.ZoneCache zones) {
        if (en.instantTo > 0) {
            out.put(b, en.instantFrom, en.instantTo);
        } else {
            Timestamps.appendInstant(out, epochSecond(en, zones), en.nanos);
        }
    }

    private static void source(ByteOut out, byte[] b, boolean ascii, Entry en, Escape escape) {
        if (en.sourceConstant != null) {
            out.put(en.sourceConstant);
        } else if (en.sourceString != null) {
            out.text(en.sourceString, escape);
        } else {
            out.text(b, en.sourceFrom, en.sourceTo, ascii, escape);
        }
    }

    private static void writeJsonHead(
            ByteOut out,
            byte[] b,
            boolean ascii,
            Entry en,
            Timestamps.ZoneCache zones,
            Level level) {
        out.put(JSON_TS);
        instant(out, b, en, zones);
        out.put(JSON_LEVEL);
        out.put(level.bytes);
        out.put(JSON_SOURCE);
        source(out, b, ascii, en, Escape.JSON);
        out.put(JSON_MESSAGE);
        if (en.messageString != null) {
            out.text(en.messageString, Escape.JSON);
        } else {
            out.text(b, en.messageFrom, en.messageTo, ascii, Escape.JSON);
        }
    }

    /** Whether an apt history record (its lines from {@code i}) has an {@code Error:} line. */
    private static boolean recordHasError(byte[] b, int i, int len) {
        while (i < len) {
            int s = i;
            while (i < len && b[i] != '\n') {
                i++;
            }
            int e = i++;
            if (!Format.APT_HISTORY.continues(b, s, e)) {
                return false;
            }
            if (Scan.startsWith(b, s, e, ERROR_LINE)) {
                return true;
            }
        }
        return false;
    }

    /** What became of the entry a chunk's first lines continue, parsed again from its head. */
    private int headState(
            byte[] head, Format primary, Entry en, Timestamps.ZoneCache zones, Input input) {
        en.reset();
        Format used =
                primary != null && primary.parse(head, 0, head.length, en) == null
                        ? primary
                        : fallback(head, 0, head.length, en, primary);
        if (used == null || !validDate(en, input)) {
            return DEAD;
        }
        Level level = en.level != null ? en.level : settings.defaultLevel();
        return level.ordinal() < settings.minLevel().ordinal() ? FILTERED : KEPT;
    }

    /** Opens a JSON entry for the rest of a cut entry, with the head's fields; true. */
    private boolean openJson(
            ByteOut out, byte[] head, Entry en, Timestamps.ZoneCache zones, Input input) {
        Level level = en.level != null ? en.level : settings.defaultLevel();
        writeJsonHead(out, head, false, en, zones, level);
        out.putAscii("(continued)");
        return true;
    }

    private static void dead(Parsed r, int lineNo, String reason, byte[] b, int s, int e) {
        r.deadLettered++;
        r.deadLines.add(new Parsed.DeadLine(lineNo, reason, java.util.Arrays.copyOfRange(b, s, e)));
    }
}
