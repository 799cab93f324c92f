package dev.pipeline.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MemberMain} in a child JVM (the test JVM's own {@code java} and class path), and what it
 * wrote: the records it processed and the commits it made.
 *
 * <p>{@link #kill()} is {@code SIGKILL} ({@link Process#destroyForcibly()}), {@link #stop()} is
 * {@code SIGTERM} and waits for the member to leave its group; {@link #close()} kills whatever is
 * still running.
 */
final class MemberProcess implements AutoCloseable {

    private final String name;
    private final Path processedFile;
    private final Path commitsFile;
    private final Path logFile;
    private final Process process;

    private MemberProcess(
            String name, Path processedFile, Path commitsFile, Path logFile, Process process) {
        this.name = name;
        this.processedFile = processedFile;
        this.commitsFile = commitsFile;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts a member writing its files into {@code dir} as {@code NAME.processed}, {@code
     * NAME.commits} and {@code NAME.log} (its standard output and error).
     */
    static MemberProcess start(
            Path dir, String name, String bootstrap, String group, String topic, long workMicros)
            throws IOException {
        Path processed = Files.createFile(dir.resolve(name + ".processed"));
        Path commits = Files.createFile(dir.resolve(name + ".commits"));
        Path log = dir.resolve(name + ".log");
        String java =
                ProcessHandle.current()
                        .info()
                        .command()
                        .orElseGet(
                                () ->
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString());
        List<String> command =
                List.of(
                        java,
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        MemberMain.class.getName(),
                        bootstrap,
                        group,
                        topic,
                        processed.toString(),
                        commits.toString(),
                        Long.toString(workMicros));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        return new MemberProcess(name, processed, commits, log, process);
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code SIGKILL}, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " still alive after SIGKILL");
        }
    }

    /** {@code SIGTERM}: the member cancels its run, leaves the group and exits. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not exit within 30 s of SIGTERM");
        }
    }

    /** The records processed so far, in the order processed (complete lines only). */
    List<Processed> processed() throws IOException {
        List<Processed> out = new ArrayList<>();
        for (long[] line : lines(processedFile)) {
            out.add(new Processed(name, (int) line[0], line[1]));
        }
        return out;
    }

    /** The last committed position this member logged for each partition it committed. */
    Map<Integer, Long> lastCommits() throws IOException {
        Map<Integer, Long> out = new HashMap<>();
        for (long[] line : lines(commitsFile)) {
            out.put((int) line[0], line[1]);
        }
        return out;
    }

    /** The last lines of the member's own output, for failure messages. */
    String logTail() throws IOException {
        if (!Files.exists(logFile)) {
            return "";
        }
        List<String> lines = Files.readAllLines(logFile);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Lines of two numbers; a last line without its newline (torn by a kill) is left out. */
    private static List<long[]> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n');
        List<long[]> out = new ArrayList<>();
        if (end < 0) {
            return out;
        }
        for (String line : text.substring(0, end).split("\n")) {
            int space = line.indexOf(' ');
            out.add(
                    new long[] {
                        Long.parseLong(line.substring(0, space)),
                        Long.parseLong(line.substring(space + 1))
                    });
        }
        return out;
    }

    /** Kills the member if it still runs; an interrupt while waiting for it is kept. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + (process.isAlive() ? " (pid " + process.pid() + ")" : " (ended)");
    }

    /** A record of partition {@code partition} at {@code offset}, processed by {@code member}. */
    record Processed(String member, int partition, long offset) {
        /** The record's identity, whoever processed it. */
        long key() {
            return ((long) partition << 48) | offset;
        }
    }
}
