package dev.pipeline.bench;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A one-node KRaft cluster (combined broker and controller) inside the benchmark's JVM, on a
 * formatted temporary log directory and two free loopback ports: the same broker as {@code
 * pipeline-kafka}'s tests use ({@code InProcessBroker}, which lives in that module's test sources).
 * {@link #close()} stops it and deletes the directory.
 */
final class KafkaBenchBroker implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final Path logDir;
    private final String bootstrapServers;
    private final KafkaRaftServer server;

    private KafkaBenchBroker(Path logDir, String bootstrapServers, KafkaRaftServer server) {
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.server = server;
    }

    /** Formats a new log directory and starts the broker; returns once it serves requests. */
    static KafkaBenchBroker start() throws Exception {
        // the broker logs every group's join at INFO (slf4j-simple comes with pipeline-logs):
        // quiet unless asked, if SLF4J is not yet set up in this JVM
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path logDir = Files.createTempDirectory("kafka-bench-");
        int port = freePort();
        int controllerPort = freePort();
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .run();
        KafkaRaftServer server =
                new KafkaRaftServer(
                        KafkaConfig.fromProps(serverProperties(logDir, port, controllerPort)),
                        Time.SYSTEM);
        server.startup();
        KafkaBenchBroker broker = new KafkaBenchBroker(logDir, LOOPBACK + ":" + port, server);
        try {
            broker.awaitReady(60);
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
        p.setProperty(
                "listeners",
                "PLAINTEXT://"
                        + LOOPBACK
                        + ":"
                        + port
                        + ",CONTROLLER://"
                        + LOOPBACK
                        + ":"
                        + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "2");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "2");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "2");
        // each invocation's fresh group gets its partitions at once
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Admin admin() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    /** Creates a topic with {@code partitions} partitions and one replica. */
    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private void awaitReady(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (Admin admin = admin()) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(1, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException(
                                "broker at "
                                        + bootstrapServers
                                        + " not ready after "
                                        + seconds
                                        + " s");
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> paths = Files.walk(logDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
