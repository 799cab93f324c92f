package dev.pipeline.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A one-node KRaft cluster (combined broker and controller) running inside the test JVM, on a
 * formatted temporary log directory and free loopback ports. {@link #close()} stops it and deletes
 * the directory.
 */
final class InProcessBroker implements AutoCloseable {

    private final BrokerConfig config;
    private final KafkaRaftServer server;
    private final Duration startTime;

    private InProcessBroker(BrokerConfig config, KafkaRaftServer server, Duration startTime) {
        this.config = config;
        this.server = server;
        this.startTime = startTime;
    }

    /** Formats a new log directory and starts the broker; returns once it serves requests. */
    static InProcessBroker start() throws Exception {
        return start(p -> {});
    }

    /**
     * {@link #start()} with the server properties changed by {@code configure} first (an
     * authoriser, another listener).
     */
    static InProcessBroker start(java.util.function.Consumer<java.util.Properties> configure)
            throws Exception {
        long t0 = System.nanoTime();
        BrokerConfig config = BrokerConfig.onFreePorts(Files.createTempDirectory("kafka-test-"));
        config.format();
        java.util.Properties props = config.serverProperties();
        configure.accept(props);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        try {
            KafkaTestClients.awaitReady(config.bootstrapServers(), Duration.ofSeconds(30));
        } catch (Exception e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new InProcessBroker(config, server, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The bootstrap servers of this broker, {@code 127.0.0.1:PORT}. */
    String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** How long {@link #start()} took, formatting included. */
    Duration startTime() {
        return startTime;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        deleteRecursively(config.logDir());
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
