package dev.pipeline.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

class LevelAndTimeTest {

    @ParameterizedTest
    @CsvSource({
        "trace,TRACE",
        "FINEST,TRACE",
        "verbose,TRACE",
        "V,TRACE",
        "t,TRACE",
        "debug,DEBUG",
        "Fine,DEBUG",
        "D,DEBUG",
        "dbg,DEBUG",
        "INFO,INFO",
        "information,INFO",
        "i,INFO",
        "warn,WARN",
        "WARNING,WARN",
        "notice,WARN",
        "W,WARN",
        "error,ERROR",
        "ERR,ERROR",
        "severe,ERROR",
        "E,ERROR",
        "fatal,FATAL",
        "CRITICAL,FATAL",
        "crit,FATAL",
        "emerg,FATAL",
        "Alert,FATAL",
        "panic,FATAL",
        "F,FATAL",
        "A,FATAL"
    })
    void levelWordsAndLettersInAnyCaseMapOntoTheSixLevels(String word, Level level) {
        assertThat(Level.parse(word)).isEqualTo(level);
    }

    @Test
    void otherWordsAreNoLevel() {
        assertThat(Level.parse("LOUD")).isNull();
        assertThat(Level.parse("")).isNull();
        assertThat(Level.parse("INFOS")).isNull();
    }

    @Test
    void syslogSeveritiesAndNumericLevels() {
        assertThat(Level.ofSyslogSeverity(0)).isEqualTo(Level.FATAL);
        assertThat(Level.ofSyslogSeverity(3)).isEqualTo(Level.ERROR);
        assertThat(Level.ofSyslogSeverity(5)).isEqualTo(Level.WARN);
        assertThat(Level.ofSyslogSeverity(7)).isEqualTo(Level.DEBUG);
        assertThat(Level.ofNumber(30)).isEqualTo(Level.INFO);
        assertThat(Level.ofNumber(60)).isEqualTo(Level.FATAL);
        assertThat(Level.ofNumber(35)).isNull();
    }

    @Test
    void instantsAreWrittenAsInstantToStringWritesThem() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            long second = r.nextLong(-62_167_219_200L, 253_402_300_800L);
            int nanos =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> r.nextInt(1000) * 1_000_000;
                        case 2 -> r.nextInt(1_000_000) * 1000;
                        default -> r.nextInt(1_000_000_000);
                    };
            ByteOut out = new ByteOut(32);
            Timestamps.appendInstant(out, second, nanos);
            assertThat(out.toString()).isEqualTo(Instant.ofEpochSecond(second, nanos).toString());
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            assertThat(
                            Timestamps.epochSecond(
                                    t.getYear(),
                                    t.getMonthValue(),
                                    t.getDayOfMonth(),
                                    t.getHour(),
                                    t.getMinute(),
                                    t.getSecond()))
                    .isEqualTo(second);
        }
    }

    @Test
    void ownTimestampsAreWrittenAsInstantToStringWritesThemWhetherCopiedOrComputed(
            @TempDir Path dir) throws Exception {
        // a timestamp already in Instant.toString's form is copied, any other is computed
        List<String> stamps =
                List.of(
                        "2026-01-01T00:00:00Z",
                        "2026-01-01T00:00:00.000Z",
                        "2026-01-01T00:00:00.100Z",
                        "2026-01-01T00:00:00.1Z",
                        "2026-01-01T00:00:00.123Z",
                        "2026-01-01T00:00:00.123000Z",
                        "2026-01-01T00:00:00.123400Z",
                        "2026-01-01T00:00:00.123400000Z",
                        "2026-01-01T00:00:00.123456789Z",
                        "2026-01-01T00:00:00.000000001Z",
                        "2026-01-01T00:00:00,250Z",
                        "2026-01-01T00:00:00.250+00:00",
                        "2026-01-01T00:00:00.250+01:30");
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String ts : stamps) {
            lines.add(ts + " WARN [src] at " + ts);
            String instant = OffsetDateTime.parse(ts.replace(',', '.')).toInstant().toString();
            expected.add(instant + " WARN [src] at " + ts);
        }
        Path file = dir.resolve("own.log");
        Files.write(file, lines);
        Runs.Run run = Runs.aggregate(dir.resolve("out"), file.toString());
        assertThat(run.output()).containsExactlyElementsOf(expected);
    }

    @Test
    void zoneOffsetsFollowDaylightSavingTime() {
        Timestamps.ZoneCache paris = new Timestamps.ZoneCache(ZoneId.of("Europe/Paris"));
        long winter = Timestamps.epochSecond(2024, 1, 15, 12, 0, 0);
        long summer = Timestamps.epochSecond(2024, 7, 15, 12, 0, 0);
        assertThat(paris.offsetAt(winter)).isEqualTo(3600);
        assertThat(paris.offsetAt(summer)).isEqualTo(7200);
        assertThat(paris.offsetAt(winter)).isEqualTo(3600);
    }

    @Test
    void aMissingYearIsTheModificationYearOrTheOneBeforeForLaterMonths() {
        Input in = new Input("x", Path.of("x"));
        in.setModified(Instant.parse("2025-01-10T10:00:00Z"), ZoneOffset.UTC);
        assertThat(in.yearFor(1)).isEqualTo(2025);
        assertThat(in.yearFor(12)).isEqualTo(2024); // last December's lines in January's file
    }

    @Test
    void deadLetterFieldsEscapeTabsControlCharactersAndBackslashes() {
        ByteOut out = new ByteOut(16);
        byte[] text = "a\tb\\c\u0001d\re".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.text(text, 0, text.length, true, ByteOut.Escape.FIELD);
        assertThat(out.toString()).isEqualTo("a\\tb\\\\c\\x01d\\re");
    }

    @Test
    void invalidUtf8IsReplacedOncePerBadSequence() {
        byte[] bad = {'a', (byte) 0xC3, 'b', (byte) 0xE2, (byte) 0x82, 'c', (byte) 0xFF, 'd'};
        assertThat(Utf8.countInvalid(bad, 0, bad.length)).isEqualTo(3);
        ByteOut out = new ByteOut(16);
        out.text(bad, 0, bad.length, false, ByteOut.Escape.NONE);
        assertThat(out.toString()).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd");
        byte[] good = "caf\u00e9 \ud83d\ude00".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(Utf8.countInvalid(good, 0, good.length)).isZero();
    }
}
