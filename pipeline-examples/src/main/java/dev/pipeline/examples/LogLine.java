package dev.pipeline.examples;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One parsed log line of the form {@code 2026-01-01T00:00:00.125Z WARN [payments] card declined}:
 * an ISO-8601 UTC timestamp, a level, a source in brackets, and the message.
 *
 * @param timestamp when it was logged
 * @param level how severe
 * @param source what logged it
 * @param message the rest of the line, possibly empty
 */
record LogLine(Instant timestamp, Level level, String source, String message) {

    /** Log levels, least severe first. */
    enum Level {
        TRACE,
        DEBUG,
        INFO,
        WARN,
        ERROR;

        /** Whether this level is {@code min} or more severe. */
        boolean atLeast(Level min) {
            return compareTo(min) >= 0;
        }
    }

    LogLine {
        requireNonNull(timestamp, "timestamp");
        requireNonNull(level, "level");
        requireNonNull(source, "source");
        requireNonNull(message, "message");
    }

    /** The line in the same form as it was parsed from. */
    String format() {
        return timestamp + " " + level + " [" + source + "] " + message;
    }

    /**
     * Parses one line.
     *
     * @param text the line, without its line terminator
     * @return the parsed line
     * @throws MalformedLineException with the reason, if the line is not of the form above
     */
    static LogLine parse(String text) {
        if (text.isBlank()) {
            throw new MalformedLineException("blank line");
        }
        if (Character.isWhitespace(text.charAt(0))) {
            throw new MalformedLineException("indented line (a stack trace or a continuation)");
        }
        int afterTimestamp = text.indexOf(' ');
        if (afterTimestamp < 0) {
            throw new MalformedLineException("no level after the timestamp");
        }
        String timestampText = text.substring(0, afterTimestamp);
        Instant timestamp;
        try {
            timestamp = Instant.parse(timestampText);
        } catch (DateTimeParseException e) {
            throw new MalformedLineException("bad timestamp '" + timestampText + "'");
        }

        int levelStart = skipSpaces(text, afterTimestamp);
        int afterLevel = text.indexOf(' ', levelStart);
        if (afterLevel < 0) {
            throw new MalformedLineException("no [source] after the level");
        }
        String levelText = text.substring(levelStart, afterLevel);
        Level level;
        try {
            level = Level.valueOf(levelText);
        } catch (IllegalArgumentException e) {
            throw new MalformedLineException("unknown level '" + levelText + "'");
        }

        int sourceStart = skipSpaces(text, afterLevel);
        int sourceEnd = text.indexOf(']', sourceStart);
        if (sourceStart >= text.length() || text.charAt(sourceStart) != '[' || sourceEnd < 0) {
            throw new MalformedLineException("no [source] after the level");
        }
        String source = text.substring(sourceStart + 1, sourceEnd);
        if (source.isBlank()) {
            throw new MalformedLineException("empty [source]");
        }
        String rest = text.substring(sourceEnd + 1);
        String message = rest.startsWith(" ") ? rest.substring(1) : rest;
        return new LogLine(timestamp, level, source, message);
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** A line that is not of the form {@code TIMESTAMP LEVEL [SOURCE] MESSAGE}; says why. */
    static final class MalformedLineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedLineException(String reason) {
            super(reason, null, false, false); // no stack trace: the reason says it all
        }
    }
}
