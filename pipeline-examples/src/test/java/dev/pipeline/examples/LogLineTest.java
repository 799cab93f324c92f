package dev.pipeline.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.examples.LogLine.Level;
import dev.pipeline.examples.LogLine.MalformedLineException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

class LogLineTest {

    @Test
    void parsesTimestampLevelSourceAndMessage() {
        LogLine line =
                LogLine.parse("2026-01-01T00:00:01.250Z WARN [payments-1] card declined: 51");
        assertThat(line.timestamp()).isEqualTo(Instant.parse("2026-01-01T00:00:01.250Z"));
        assertThat(line.level()).isEqualTo(Level.WARN);
        assertThat(line.source()).isEqualTo("payments-1");
        assertThat(line.message()).isEqualTo("card declined: 51");
    }

    @Test
    void formatGivesBackTheParsedLine() {
        String text = "2026-01-01T00:00:01.250Z ERROR [auth] token expired";
        assertThat(LogLine.parse(text).format()).isEqualTo(text);
    }

    @Test
    void toleratesExtraSpacesAndAnEmptyMessage() {
        LogLine line = LogLine.parse("2026-01-01T00:00:00Z  INFO   [orders]");
        assertThat(line.level()).isEqualTo(Level.INFO);
        assertThat(line.source()).isEqualTo("orders");
        assertThat(line.message()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                                | blank line",
                "2026-01-01T00:00:00Z                              | no level after the timestamp",
                "'   at Handler.handle(Handler.java:76)'           | indented line (a stack trace"
                        + " or a continuation)",
                "yesterday INFO [orders] shipped                   | bad timestamp 'yesterday'",
                "2026-01-01T00:00:00Z NOTICE [orders] shipped      | unknown level 'NOTICE'",
                "2026-01-01T00:00:00Z INFO                         | no [source] after the level",
                "2026-01-01T00:00:00Z INFO orders shipped          | no [source] after the level",
                "2026-01-01T00:00:00Z INFO [orders shipped         | no [source] after the level",
                "2026-01-01T00:00:00Z INFO [] shipped              | empty [source]",
            })
    void malformedLineIsRejectedWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> LogLine.parse(text))
                .isInstanceOf(MalformedLineException.class)
                .hasMessage(reason);
    }

    @Test
    void levelsCompareBySeverity() {
        assertThat(Level.ERROR.atLeast(Level.WARN)).isTrue();
        assertThat(Level.WARN.atLeast(Level.WARN)).isTrue();
        assertThat(Level.INFO.atLeast(Level.WARN)).isFalse();
    }

    @Test
    void generatorIsDeterministicForASeedAndMostlyParses() {
        LogGenerator a = new LogGenerator(7, 2);
        LogGenerator b = new LogGenerator(7, 2);
        Set<Level> levels = new HashSet<>();
        int malformed = 0;
        for (int i = 0; i < 5000; i++) {
            String line = a.next();
            assertThat(b.next()).isEqualTo(line);
            try {
                levels.add(LogLine.parse(line).level());
            } catch (MalformedLineException e) {
                malformed++;
            }
        }
        assertThat(levels).contains(Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR);
        assertThat(malformed).isBetween(1, 50);
        assertThat(new LogGenerator(8, 2).next()).isNotEqualTo(new LogGenerator(7, 2).next());
    }
}
