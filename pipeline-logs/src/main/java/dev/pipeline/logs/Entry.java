package dev.pipeline.logs;

/**
 * What a format's parser found in a line, as positions in the line and plain numbers, so that a
 * line parses without allocating: the timestamp fields (year or zone possibly unknown), the level
 * (or {@code null} for none), the source and the message. One per parse worker, reused line after
 * line; JSON lines set the string fields instead of positions.
 */
final class Entry {
    static final int UNKNOWN_OFFSET = Integer.MIN_VALUE;

    int year;
    boolean yearKnown;
    int month;
    int day;
    int hour;
    int minute;
    int second;
    int nanos;

    /** Offset from UTC in seconds, or {@link #UNKNOWN_OFFSET}: the configured zone applies. */
    int offsetSeconds;

    /** Set when the time came as seconds since the epoch (JSON numbers). */
    boolean epochKnown;

    long epochSecond;

    /**
     * When the line's timestamp is already the text the output would write for it (the form of
     * {@link java.time.Instant#toString()}, as the aggregator's own output has it), its range in
     * the line, to be copied rather than computed; else {@code instantTo == 0}.
     */
    int instantFrom;

    int instantTo;

    Level level;

    /** The source as a constant ({@code dpkg}), or null. */
    byte[] sourceConstant;

    /** The source as a string (JSON), or null. */
    String sourceString;

    int sourceFrom;
    int sourceTo;

    /** The message as a string (JSON), or null. */
    String messageString;

    int messageFrom;
    int messageTo;

    void reset() {
        yearKnown = true;
        offsetSeconds = UNKNOWN_OFFSET;
        epochKnown = false;
        instantTo = 0;
        nanos = 0;
        level = null;
        sourceConstant = null;
        sourceString = null;
        sourceFrom = 0;
        sourceTo = 0;
        messageString = null;
        messageFrom = 0;
        messageTo = 0;
    }

    void source(int from, int to) {
        sourceFrom = from;
        sourceTo = to;
    }

    void message(int from, int to) {
        messageFrom = from;
        messageTo = to;
    }
}
