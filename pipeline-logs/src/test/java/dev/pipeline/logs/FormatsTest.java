package dev.pipeline.logs;

import static dev.pipeline.logs.Runs.levels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Each real-format fixture (written for these tests in the form those systems produce), read at
 * {@code --min-level WARN} with the year and zone fixed: the detected format, chosen lines as
 * written, the entries per level, and the accounting in lines.
 */
@Timeout(20)
class FormatsTest {
    @TempDir Path dir;

    private Runs.Run run(String fixture) throws Exception {
        Path file = Runs.fixture(dir, fixture);
        Runs.Run run =
                Runs.aggregate(
                        dir.resolve("out"),
                        "--min-level",
                        "WARN",
                        "--year",
                        "2024",
                        "--zone",
                        "UTC",
                        file.toString());
        assertThat(run.addsUp()).as("read = written + filtered + dead-lettered").isTrue();
        assertThat(run.printed()).contains("(adds up)");
        return run;
    }

    private static void counts(
            Input in, Format format, long lines, long written, long filtered, long dead) {
        assertThat(in.format).isEqualTo(format);
        assertThat(in.failure).isNull();
        assertThat(new long[] {in.lines, in.written, in.filtered, in.deadLettered})
                .as("lines, written, filtered, dead-lettered")
                .containsExactly(lines, written, filtered, dead);
    }

    @Test
    void syslogAuthLogWithOpenSshBadUtf8AndNoFinalNewline() throws Exception {
        Runs.Run run = run("auth.log");
        Input in = run.input(0);
        counts(in, Format.SYSLOG_3164, 27, 4, 22, 1);
        assertThat(in.entriesByLevel).containsExactly(levels(0, 0, 22, 1, 2, 1));
        assertThat(in.invalidUtf8).isEqualTo(1);
        assertThat(run.output())
                .containsExactly(
                        "2024-06-15T12:20:44Z ERROR [sshd] error: kex_exchange_identification:"
                                + " Connection closed by remote host",
                        "2024-06-15T12:20:48Z ERROR [sshd] error: maximum authentication attempts"
                                + " exceeded for invalid user admin from 203.0.113.9 port 40022"
                                + " ssh2 [preauth]",
                        "2024-06-15T12:31:07Z FATAL [sshd] fatal: Timeout before authentication"
                                + " for 198.51.100.23 port 51816",
                        "2024-06-15T13:09:01Z WARN [sshd] warning: /etc/hosts.allow, line 12:"
                                + " host name/address mismatch");
        assertThat(run.deadLetters())
                .containsExactly(
                        in.origin
                                + ":26\timpossible date or time\tJun 31 13:10:01 combo"
                                + " CRON[23802]: impossible date");
        assertThat(run.printed()).contains("1 invalid UTF-8 sequence replaced");
    }

    @Test
    void syslogLineWithTheBadByteIsWrittenWithAReplacementCharacter() throws Exception {
        Path file = Runs.fixture(dir, "auth.log");
        Runs.Run run =
                Runs.aggregate(
                        dir.resolve("out"), "--year", "2024", "--zone", "UTC", file.toString());
        assertThat(run.output())
                .contains(
                        "2024-06-15T13:09:00Z INFO [sshd] Connection from 192.0.2.50 port 61000 on"
                                + " 10.0.4.2 port 22 rdomain \"\" user M\uFFFDller",
                        // the last line, without its line feed, and the line numbers after
                        // the bad byte are right (the dead letter above is line 26)
                        "2024-06-15T13:11:12Z INFO [sshd] Server listening on 0.0.0.0 port 22.");
    }

    @Test
    void hdfsDataNodeWithAStackTraceAndABlankLine() throws Exception {
        Runs.Run run = run("hdfs-datanode.log");
        counts(run.input(0), Format.HDFS, 28, 11, 17, 0);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 0, 17, 2, 1, 0));
        assertThat(run.output().subList(0, 9))
                .containsExactly(
                        "2008-11-09T20:49:25Z WARN [dfs.DataNode$DataXceiver]"
                                + " 10.251.30.6:50010:Got exception while serving"
                                + " blk_-2918118818249673980 to /10.251.90.64:",
                        "\tjava.io.IOException: Block blk_-2918118818249673980 is not valid.",
                        "\t\tat org.apache.hadoop.dfs.FSDataset.getBlockFile(FSDataset.java:534)",
                        "\t\tat org.apache.hadoop.dfs.FSDataset.getLength(FSDataset.java:547)",
                        "\t\tat"
                            + " org.apache.hadoop.dfs.DataNode$BlockSender.<init>(DataNode.java:1436)",
                        "\t\tat"
                            + " org.apache.hadoop.dfs.DataNode$DataXceiver.readBlock(DataNode.java:1011)",
                        "\t\tat org.apache.hadoop.dfs.DataNode$DataXceiver.run(DataNode.java:953)",
                        "\t\tat java.lang.Thread.run(Thread.java:619)",
                        "\t");
    }

    @Test
    void sparkExecutorWithAnErrorTraceAndAForeignFirstLine() throws Exception {
        Runs.Run run = run("spark-executor.log");
        counts(run.input(0), Format.SPARK, 31, 8, 22, 1);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 0, 22, 2, 2, 0));
        assertThat(run.output())
                .contains(
                        "2017-06-09T20:10:45Z ERROR [executor.Executor] Exception in task 0.0 in"
                                + " stage 0.0 (TID 1)",
                        "\tjava.lang.OutOfMemoryError: Java heap space",
                        "2017-06-09T20:10:46Z ERROR [executor.CoarseGrainedExecutorBackend]"
                                + " RECEIVED SIGNAL TERM");
        assertThat(run.deadLetters())
                .containsExactly(
                        run.input(0).origin
                                + ":1\tnot spark: no 'yy/MM/dd HH:mm:ss' timestamp\tUsing Spark's"
                                + " default log4j profile:"
                                + " org/apache/spark/log4j-defaults.properties");
    }

    @Test
    void logcatThreadtimeWithOneLetterLevelsAndBufferHeaders() throws Exception {
        Runs.Run run = run("logcat.txt");
        counts(run.input(0), Format.LOGCAT, 24, 7, 15, 2);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(2, 7, 6, 2, 4, 1));
        assertThat(run.output())
                .contains(
                        "2024-03-17T16:13:38.901Z ERROR [AndroidRuntime] FATAL EXCEPTION: main",
                        "2024-03-17T16:13:38.931Z FATAL [libc] Fatal signal 6 (SIGABRT), code -6"
                                + " in tid 546 (surfaceflinger)");
        assertThat(run.deadLetters())
                .hasSize(2)
                .allMatch(
                        l ->
                                l.endsWith("--------- beginning of main")
                                        || l.endsWith("--------- beginning of system"));
    }

    @Test
    void openStackNovaWithFileNamePrefixesCrlfAndPythonTraceback() throws Exception {
        Runs.Run run = run("nova-api.log");
        counts(run.input(0), Format.OPENSTACK, 19, 7, 12, 0);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 1, 11, 1, 5, 1));
        assertThat(run.output())
                .contains(
                        "2017-05-16T00:00:05.185Z WARN [nova.compute.manager]"
                                + " [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] While"
                                + " synchronizing instance power states, found 1 instances in the"
                                + " database and 0 instances on the hypervisor.",
                        "2017-05-16T00:00:08.001Z FATAL [nova] [-] Unhandled error: OSError:"
                                + " [Errno 28] No space left on device")
                .noneMatch(l -> l.contains("\r"));
    }

    @Test
    void apacheErrorLogOfVersions22And24() throws Exception {
        Runs.Run run = run("apache-error.log");
        counts(run.input(0), Format.APACHE_ERROR, 16, 14, 2, 0);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 1, 1, 7, 4, 3));
        assertThat(run.output())
                .contains(
                        "2005-12-04T04:47:44Z WARN [apache] workerEnv.init() ok"
                                + " /etc/httpd/conf/workers2.properties",
                        "2011-09-09T10:42:29.902022Z ERROR [core] [pid 35708:tid 4328636416]"
                                + " [client 72.15.99.187] File does not exist:"
                                + " /usr/local/apache2/htdocs/favicon.ico");
    }

    @Test
    void nginxErrorLog() throws Exception {
        Runs.Run run = run("nginx-error.log");
        counts(run.input(0), Format.NGINX_ERROR, 6, 5, 1, 0);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 0, 1, 2, 1, 2));
        assertThat(run.output())
                .contains(
                        "2016-10-25T14:53:33Z FATAL [nginx] bind() to 0.0.0.0:80 failed (98:"
                                + " Address already in use)");
    }

    @Test
    void dpkgLogHasNoLevelSoEveryEntryGetsTheDefault() throws Exception {
        Runs.Run run = run("dpkg.log");
        counts(run.input(0), Format.DPKG, 26, 0, 26, 0);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 0, 26, 0, 0, 0));
        Path file = dir.resolve("dpkg.log");
        Runs.Run warn =
                Runs.aggregate(
                        dir.resolve("out2"),
                        "--min-level",
                        "WARN",
                        "--default-level",
                        "WARN",
                        "--zone",
                        "UTC",
                        file.toString());
        assertThat(warn.output())
                .hasSize(26)
                .startsWith("2024-01-02T10:11:12Z WARN [dpkg] startup archives unpack");
    }

    @Test
    void aptHistoryRecordsAreMultiLineEntriesAndAnErrorRecordIsAnError() throws Exception {
        Runs.Run run = run("history.log");
        counts(run.input(0), Format.APT_HISTORY, 25, 6, 19, 0);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 0, 3, 0, 1, 0));
        assertThat(run.output())
                .containsExactly(
                        "2024-01-04T09:15:00Z ERROR [apt] Start-Date: 2024-01-04  09:15:00",
                        "\tCommandline: apt-get install -y broken-pkg",
                        "\tRequested-By: deploy (1000)",
                        "\tInstall: broken-pkg:amd64 (1.0-1)",
                        "\tError: Sub-process /usr/bin/dpkg returned an error code (1)",
                        "\tEnd-Date: 2024-01-04  09:15:07");
    }

    @Test
    void syslogRfc5424WithStructuredDataOffsetsAndANilTimestamp() throws Exception {
        Runs.Run run = run("rfc5424.log");
        counts(run.input(0), Format.SYSLOG_5424, 7, 4, 2, 1);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 0, 2, 2, 1, 1));
        assertThat(run.output())
                .containsExactly(
                        "2003-10-11T22:14:15.003Z WARN [evntslog] An application event log"
                                + " entry...",
                        "2003-10-11T22:14:15.003Z FATAL [su] 'su root' failed for lonvick on"
                                + " /dev/pts/8",
                        "2003-08-24T12:14:15.000003Z WARN [myproc] %% It's time to make the"
                                + " do-nuts.",
                        "2024-03-01T10:00:01Z ERROR [billing] charge declined");
    }

    @Test
    void log4jWithJavaStackTracesCausedByAndMore() throws Exception {
        Runs.Run run = run("app-log4j.log");
        counts(run.input(0), Format.LOG4J, 25, 13, 11, 1);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(1, 2, 5, 2, 2, 1));
        assertThat(run.output())
                .containsSubsequence(
                        "2024-03-01T09:00:05.901Z ERROR [com.example.orders.OrderService] order 43"
                                + " failed",
                        "\tjava.lang.IllegalStateException: order 43 is locked",
                        "\t\tat com.example.orders.OrderService.process(OrderService.java:87)",
                        "\tCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 -"
                                + " Connection is not available, request timed out after"
                                + " 30000ms.",
                        "\t\t... 2 more",
                        "2024-03-01T09:00:07.777Z FATAL [com.example.orders.Application] cannot"
                                + " bind port 8080",
                        "2024-03-01T09:00:10Z ERROR [legacy.Component] JUL level name through"
                                + " log4j",
                        "2024-03-01T09:00:10Z WARN [c.e.NoMillis] no millis in this one");
        assertThat(run.output()).noneMatch(l -> l.contains("Cleanup") || l.contains("kafka"));
        assertThat(run.deadLetters())
                .singleElement()
                .asString()
                .endsWith(
                        ":25\tnot log4j: no 'yyyy-MM-dd HH:mm:ss,SSS' timestamp\thalf a line"
                                + " written when the disk filled up");
    }

    @Test
    void jsonLinesWithTheUsualKeysEpochTimesEscapesAndNestedValues() throws Exception {
        Runs.Run run = run("app.jsonl");
        counts(run.input(0), Format.JSON, 10, 4, 4, 2);
        assertThat(run.input(0).entriesByLevel).containsExactly(levels(0, 1, 3, 2, 1, 1));
        assertThat(run.output())
                .containsExactly(
                        "2024-03-01T08:00:01.250Z WARN [api.http] slow request",
                        "2024-03-01T09:00:02Z ERROR [worker] job \"nightly\" failed:",
                        "\t\tat Job.run",
                        "2024-03-01T09:00:05Z WARN [-] notice maps to warn",
                        "2024-03-01T09:00:08Z FATAL [db] disk full");
        assertThat(run.deadLetters())
                .extracting(l -> l.split("\t")[1])
                .containsExactly(
                        "not json-lines: malformed JSON",
                        "not json-lines: JSON object without a readable timestamp");
        Runs.Run all =
                Runs.aggregate(
                        dir.resolve("all"),
                        "--min-level",
                        "TRACE",
                        dir.resolve("app.jsonl").toString());
        assertThat(all.output())
                .contains(
                        "2024-03-01T09:00:03.123Z INFO [pino-app] unicode caf\u00e9 \ud83d\ude00"
                                + " ok",
                        "2024-03-01T09:00:04.500Z DEBUG [-] epoch seconds with a fraction",
                        "2024-03-01T09:00:00Z INFO [com.example.Api] started");
    }

    @Test
    void itsOwnWrittenFormReadsBackUnchanged() throws Exception {
        Runs.Run run = run("own.log");
        counts(run.input(0), Format.PIPELINE, 8, 5, 3, 0);
        Runs.Run all =
                Runs.aggregate(
                        dir.resolve("all"),
                        "--min-level",
                        "TRACE",
                        dir.resolve("own.log").toString());
        assertThat(all.output())
                .containsExactly(
                        "2026-01-01T00:00:00.125Z WARN [payments-1] card declined: 51",
                        "2026-01-01T00:00:01Z INFO [orders-1] GET /api/orders/1 200 in 3 ms",
                        "2026-01-01T00:00:02.500Z ERROR [orders-1] order 2 failed",
                        "\tjava.lang.IllegalStateException: locked",
                        "\t\tat com.example.Orders.run(Orders.java:10)",
                        "2026-01-01T00:00:03Z DEBUG [cache] miss for key user:7",
                        "2026-01-01T00:00:04Z TRACE [cache] offset normalised to UTC",
                        "2026-01-01T00:00:05.000001Z FATAL [db] gone");
        // what it wrote, read again, is written the same
        Runs.Run again =
                Runs.aggregate(
                        dir.resolve("again"),
                        "--min-level",
                        "TRACE",
                        dir.resolve("all").resolve(Aggregation.OUTPUT_FILE).toString());
        assertThat(again.output()).isEqualTo(all.output());
    }

    @Test
    void jsonOutputHasTheFieldsAndTheContinuationLinesInTheMessage() throws Exception {
        Path file = Runs.fixture(dir, "own.log");
        Runs.Run run =
                Runs.aggregate(
                        dir.resolve("json"),
                        "--format",
                        "json",
                        "--min-level",
                        "ERROR",
                        file.toString());
        assertThat(run.output())
                .containsExactly(
                        "{\"timestamp\":\"2026-01-01T00:00:02.500Z\",\"level\":\"ERROR\","
                                + "\"source\":\"orders-1\",\"message\":\"order 2 failed\\n"
                                + "java.lang.IllegalStateException: locked\\n\\tat"
                                + " com.example.Orders.run(Orders.java:10)\"}",
                        "{\"timestamp\":\"2026-01-01T00:00:05.000001Z\",\"level\":\"FATAL\","
                                + "\"source\":\"db\",\"message\":\"gone\"}");
        assertThat(Json.readObject(run.output().get(0)))
                .containsEntry(
                        "message",
                        "order 2 failed\njava.lang.IllegalStateException:"
                                + " locked\n\tat com.example.Orders.run(Orders.java:10)");
        assertThat(run.input(0).written).isEqualTo(4);
        // its JSON output reads back as JSON lines
        Runs.Run again =
                Runs.aggregate(
                        dir.resolve("again"),
                        "--min-level",
                        "TRACE",
                        dir.resolve("json").resolve(Aggregation.OUTPUT_FILE).toString());
        assertThat(again.input(0).format).isEqualTo(Format.JSON);
        assertThat(again.output())
                .containsExactly(
                        "2026-01-01T00:00:02.500Z ERROR [orders-1] order 2 failed",
                        "\tjava.lang.IllegalStateException: locked",
                        "\t\tat com.example.Orders.run(Orders.java:10)",
                        "2026-01-01T00:00:05.000001Z FATAL [db] gone");
    }

    @Test
    void linesOfAnotherFormatFallBackLineByLine() throws Exception {
        Path file =
                java.nio.file.Files.writeString(
                        dir.resolve("mixed.log"),
                        "2024-03-01 09:00:00,000 INFO [main] a.B: one\n"
                                + "2024-03-01 09:00:01,000 WARN [main] a.B: two\n"
                                + "Mar  1 09:00:02 host sshd[7]: error: three, from syslog\n"
                                + "{\"time\":\"2024-03-01T09:00:03Z\",\"level\":\"E\","
                                + "\"msg\":\"four, from JSON\"}\n"
                                + "2024-03-01 09:00:04,000 ERROR [main] a.B: five\n");
        Runs.Run run =
                Runs.aggregate(
                        dir.resolve("out"), "--zone", "UTC", "--year", "2024", file.toString());
        Input in = run.input(0);
        assertThat(in.format).isEqualTo(Format.LOG4J);
        assertThat(in.otherFormat).isEqualTo(2);
        assertThat(in.deadLettered).isZero();
        assertThat(run.output())
                .containsExactly(
                        "2024-03-01T09:00:00Z INFO [a.B] one",
                        "2024-03-01T09:00:01Z WARN [a.B] two",
                        "2024-03-01T09:00:02Z ERROR [sshd] error: three, from syslog",
                        "2024-03-01T09:00:03Z ERROR [-] four, from JSON",
                        "2024-03-01T09:00:04Z ERROR [a.B] five");
        assertThat(run.printed()).contains("2 entries of another format");
    }

    @Test
    void aMissingYearComesFromTheFileModificationTime() throws Exception {
        Path file =
                java.nio.file.Files.writeString(
                        dir.resolve("syslog"),
                        "Dec 31 23:59:59 host cron[1]: last of the year\n"
                                + "Jan  1 00:00:01 host cron[1]: first of the next\n");
        java.nio.file.Files.setLastModifiedTime(
                file,
                java.nio.file.attribute.FileTime.from(
                        java.time.Instant.parse("2025-01-02T10:00:00Z")));
        Runs.Run run = Runs.aggregate(dir.resolve("out"), "--zone", "UTC", file.toString());
        assertThat(run.output())
                .containsExactly(
                        "2024-12-31T23:59:59Z INFO [cron] last of the year",
                        "2025-01-01T00:00:01Z INFO [cron] first of the next");
        Runs.Run paris =
                Runs.aggregate(
                        dir.resolve("paris"),
                        "--zone",
                        "Europe/Paris",
                        "--year",
                        "2030",
                        file.toString());
        assertThat(paris.output())
                .containsExactly(
                        "2030-12-31T22:59:59Z INFO [cron] last of the year",
                        "2029-12-31T23:00:01Z INFO [cron] first of the next");
    }

    @Test
    void everyFixtureAtOnceAddsUpAndEachKeepsItsFormat() throws Exception {
        String[] names = {
            "auth.log", "hdfs-datanode.log", "spark-executor.log", "logcat.txt", "nova-api.log",
            "apache-error.log", "nginx-error.log", "dpkg.log", "history.log", "rfc5424.log",
            "app-log4j.log", "app.jsonl", "own.log"
        };
        String[] args = new String[names.length + 4];
        args[0] = "--year";
        args[1] = "2024";
        args[2] = "--zone";
        args[3] = "UTC";
        for (int i = 0; i < names.length; i++) {
            args[i + 4] = Runs.fixture(dir, names[i]).toString();
        }
        Runs.Run run = Runs.aggregate(dir.resolve("out"), args);
        assertThat(run.addsUp()).isTrue();
        assertThat(run.result().read()).isEqualTo(252);
        assertThat(run.result().inputs()).allMatch(i -> i.format != null && i.failure == null);
        assertThat(run.printed()).contains("read 252 = written ");
    }
}
