package dev.pipeline.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Smoke tests: each example runs in-process and prints what it teaches. */
@Timeout(5)
class ExamplesTest {

    /** Runs an example by name through the launcher's registry and returns what it printed. */
    static String run(String name, String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            Examples.find(name).orElseThrow().command().run(out, System.err, args);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static int launch(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return Examples.launch(o, e, args);
        }
    }

    @Test
    void listPrintsEveryExampleWithItsDescription() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = launch(out, new ByteArrayOutputStream(), "list");
        assertThat(status).isZero();
        for (Example e : Examples.ALL) {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .containsPattern(
                            Pattern.quote(e.name()) + " +" + Pattern.quote(e.description()));
        }
    }

    @Test
    void unknownNameIsAnErrorListingTheNamesWithStatus2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = launch(new ByteArrayOutputStream(), err, "run", "no-such-example");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unknown example 'no-such-example'")
                .contains("hello", "backpressure", "select");
    }

    @Test
    void badCommandLineIsStatus2() {
        assertThat(launch(new ByteArrayOutputStream(), new ByteArrayOutputStream())).isEqualTo(2);
    }

    @Test
    void runByNameSucceedsWithStatus0() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = launch(new ByteArrayOutputStream(), err, "run", "hello");
        assertThat(status).isZero();
        assertThat(err.size()).isZero();
    }

    @Test
    void argumentsAnExampleRejectsAreStatus2WithTheReason() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                launch(
                        new ByteArrayOutputStream(),
                        err,
                        "run",
                        "log-aggregator",
                        "--min-level",
                        "LOUD");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--min-level must be one of TRACE DEBUG INFO WARN ERROR FATAL, not LOUD")
                .contains("Usage: log-aggregator");
    }

    @Test
    void hello() throws Exception {
        assertThat(run("hello")).isEqualTo(lines("Got: hello from the thread"));
    }

    @Test
    void streamEndsWhenTheSenderCloses() throws Exception {
        assertThat(run("stream"))
                .isEqualTo(lines("Got: one", "Got: two", "Got: three", "Channel closed, done."));
    }

    @Test
    void producersEndWhenEverySenderIsClosedAndTheLeakedSenderIsReported() throws Exception {
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String out;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            out = run("producers");
        } finally {
            System.setErr(savedErr);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(out).contains("Message from thread " + i);
        }
        assertThat(out)
                .contains("every sender closed: the loop ended.")
                .contains("5 received, then nothing: still open.")
                .contains("the leaked sender was reported")
                .contains("every source ended: the merged stream ended.");
        for (int i = 0; i < 5; i++) {
            assertThat(out).contains("Message from source " + i);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("WARN")
                .contains("became unreachable while still open")
                .contains("Producers.startProducers");
    }

    @Test
    void backpressureHoldsTheProducerToTheConsumersPace() throws Exception {
        String out = run("backpressure");
        assertThat(out).contains("Sent 9", "Received 9", "never held more than 2 items");
        // with 2 buffered and 1 in the consumer's hands, "Sent 9" waits for about 7 receives
        long sent9 = millisOf(out, "Sent 9");
        assertThat(sent9).isGreaterThanOrEqualTo(5 * Backpressure.CONSUMER_PAUSE_MS);
    }

    @Test
    void errorsHandTheValueBackAndReportClosed() throws Exception {
        assertThat(run("errors"))
                .contains("Send failed:", "got back 42")
                .contains("trySend: Disconnected, got back 43")
                .contains("Recv failed:", "is closed");
    }

    @Test
    void pollingTellsEmptyFromClosed() throws Exception {
        assertThat(run("polling"))
                .isEqualTo(
                        lines(
                                "tryReceive:             Empty (nothing yet, or timed out)",
                                "receive(50 ms):         Empty (nothing yet, or timed out)",
                                "receive(2 s):           Got: delayed message",
                                "tryReceive after close: Closed (every sender is gone)"));
    }

    @Test
    void commandsAreHandledInOrderWithAReply() throws Exception {
        assertThat(run("commands"))
                .isEqualTo(
                        lines(
                                "Processing: task-1",
                                "Processing: task-2",
                                "Asked the worker: it has processed 2 tasks",
                                "Shutting down"));
    }

    @Test
    void workersSplitTheJobsEachDoneOnce() throws Exception {
        String out = run("workers");
        for (int job = 0; job < 20; job++) {
            assertThat(out).containsOnlyOnce(" got job " + job + System.lineSeparator());
        }
        assertThat(out).contains("20 jobs taken, 20 distinct");
    }

    @Test
    void sharedStateComputesEachWordOnceAndCountsThroughAPipeline() throws Exception {
        assertThat(run("shared-state"))
                .contains("48 lookups, 10 computed, 38 served from the cache")
                .contains("the=3")
                .contains("counts: {and=1, brown=1, dog=1, end=1");
    }

    @Test
    void selectReceivesFromBothChannelsAndTimesOut() throws Exception {
        String out = run("select");
        assertThat(out)
                .contains("orders: order-1", "orders: order-2", "orders: order-3")
                .contains("cancels: cancel-1")
                .contains("nothing within 100 ms")
                .contains("orders closed, dropped", "cancels closed, dropped");
    }

    @Test
    void squaresGivesTheSameOutputWithChannelsAndWithTheDsl() throws Exception {
        String squares =
                "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225, 256, 289, 324,"
                        + " 361]";
        assertThat(run("squares"))
                .isEqualTo(
                        lines(
                                "Channels and threads: " + squares,
                                "The DSL:              " + squares));
    }

    @Test
    void checksumsPrintsTheSha256OfEveryFileInPathOrder(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("b/c"));
        Files.writeString(dir.resolve("b/c/abc.txt"), "abc");
        Files.writeString(dir.resolve("a.txt"), "");
        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("b/f" + (char) ('a' + i)), "file " + i);
        }
        List<String> out = run("checksums", dir.toString(), "3").lines().toList();

        assertThat(out).hasSize(23);
        assertThat(out.get(0))
                .isEqualTo(
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt");
        assertThat(out.get(1))
                .isEqualTo(
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  "
                                + Path.of("b", "c", "abc.txt"));
        List<String> paths = out.subList(0, 22).stream().map(l -> l.substring(66)).toList();
        assertThat(paths).isSorted();
        assertThat(out.get(22)).startsWith("22 files under " + dir + ", 3 workers");
    }

    @Test
    void checksumsDefaultsToThisModulesSources() throws Exception {
        assertThat(run("checksums")).contains("  dev/pipeline/examples/Checksums.java");
    }

    static String lines(String... lines) {
        return String.join(System.lineSeparator(), Arrays.asList(lines)) + System.lineSeparator();
    }

    static long millisOf(String out, String event) {
        Matcher m = Pattern.compile("(?m)^ *(\\d+) ms +" + Pattern.quote(event) + "$").matcher(out);
        assertThat(m.find()).as("a line for '%s' in:%n%s", event, out).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void shipLogsWithoutATopicIsStatus2WithItsUsage(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path f = Files.writeString(dir.resolve("app.log"), "x\n");
        int status = launch(new ByteArrayOutputStream(), err, "run", "ship-logs", f.toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("usage: ship-logs --topic TOPIC [--bootstrap HOST:PORT] FILE...");
    }
}
