package dev.pipeline.kafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The same one-node KRaft cluster as {@link InProcessBroker}, run by Kafka's own {@code
 * kafka.Kafka} main class in a child JVM, so that a test can kill it ({@code SIGKILL}) and start it
 * again on the same log directory and ports.
 *
 * <p>{@link #create()} formats the log directory and writes {@code server.properties} once; {@link
 * #start()} and {@link #kill()} may then alternate. The child's output goes to {@code broker.log}
 * beside the log directory, and its last lines are quoted when it fails to start.
 */
final class ChildProcessBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final BrokerConfig config;
    private final Path propertiesFile;
    private final Path logFile;
    private Process process;

    private ChildProcessBroker(Path home, BrokerConfig config) {
        this.home = home;
        this.config = config;
        this.propertiesFile = home.resolve("server.properties");
        this.logFile = home.resolve("broker.log");
    }

    /** Formats a new log directory on free ports and writes its {@code server.properties}. */
    static ChildProcessBroker create() throws Exception {
        Path home = Files.createTempDirectory("kafka-child-");
        ChildProcessBroker broker =
                new ChildProcessBroker(home, BrokerConfig.onFreePorts(home.resolve("data")));
        broker.config.format();
        try (Writer w = Files.newBufferedWriter(broker.propertiesFile)) {
            Properties p = broker.config.serverProperties();
            // a restart after SIGKILL waits for the killed incarnation's session to expire
            p.setProperty("broker.session.timeout.ms", "3000");
            p.setProperty("broker.heartbeat.interval.ms", "500");
            p.store(w, "one-node KRaft cluster for a test");
        }
        return broker;
    }

    String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** Starts the child JVM and returns once the broker answers, or throws with its last output. */
    void start() throws Exception {
        long t0 = System.nanoTime();
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "kafka.Kafka",
                        propertiesFile.toString());
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .start();
        try {
            KafkaTestClients.awaitReady(config.bootstrapServers(), READY_TIMEOUT);
        } catch (TimeoutException e) {
            kill();
            throw new IllegalStateException(
                    "child broker did not start; its output ends with:\n" + logTail(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    "child broker exited with "
                            + process.exitValue()
                            + "; its output ends with:\n"
                            + logTail());
        }
        System.out.printf(
                "child-JVM Kafka broker at %s started in %d ms%n",
                bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Kills the child JVM at once ({@code SIGKILL} on Unix) and waits for it to be gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child broker still alive after SIGKILL");
            }
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(logFile);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        InProcessBroker.deleteRecursively(home);
    }
}
