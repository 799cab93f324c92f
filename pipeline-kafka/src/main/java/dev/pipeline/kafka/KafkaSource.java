package dev.pipeline.kafka;

import static java.util.Objects.requireNonNull;

import dev.pipeline.Pipeline;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * A pipeline source over a consumer group's share of some topics: {@link #pipeline()} yields the
 * records the group assigns to this member as {@link KafkaRecord}s, with their topic, partition and
 * offset.
 *
 * <pre>{@code
 * KafkaSource<String, String> orders = KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
 *         .bootstrapServers("127.0.0.1:9092")
 *         .groupId("billing")
 *         .topics("orders")
 *         .build();
 * orders.pipeline()
 *         .mapParallelUnordered(8, r -> bill(r.value()))
 *         .forEach(receipt -> log(receipt));
 * }</pre>
 *
 * <p><b>Threads.</b> Each run of the pipeline creates its own {@code KafkaConsumer} on the
 * source's thread, and only that thread touches it; it is closed when the source ends. Running the
 * pipeline twice at once makes two members of the group.
 *
 * <p><b>Back-pressure.</b> The records of one poll (at most {@code max.poll.records}) are kept in a
 * local buffer and sent downstream as there is room. When the downstream channel is full, the
 * source pauses every assigned partition and keeps calling {@code poll()} at least every poll
 * timeout (a paused poll fetches nothing), so the member stays in its group however slow the
 * pipeline is; when the buffer is empty again it resumes them. Memory is bounded by the pipeline's
 * channel capacities plus one poll. See {@link #stats()} for pause and rebalance counters.
 *
 * <p><b>Offsets: nothing is committed yet.</b> Auto-commit is off (setting {@code
 * enable.auto.commit=true} is refused) and the source commits no offset, so every assignment
 * starts at the group's committed offsets if any, else at {@code auto.offset.reset} ({@code
 * earliest} unless set). End-to-end at-least-once commits (a record's offset committed only when
 * the terminal stage is done with it, contiguous per partition) arrive with the runtime's
 * completion hook; until then, use this source where reprocessing from the start, or from offsets
 * committed by other means, is acceptable.
 *
 * <p><b>Stopping.</b> The source ends quietly when every downstream stage has stopped (after a
 * {@link Pipeline#take take}, for example) and ends with the run when it is cancelled; either way
 * it closes its consumer, leaving the group at once. It never ends by itself.
 *
 * <p><b>Failures</b> fail the source's stage, so the run's {@link dev.pipeline.PipelineException}
 * has one of these as its cause:
 *
 * <ul>
 *   <li>no broker answers within the {@linkplain Builder#connectTimeout connect timeout} at
 *       start, or a topic does not exist: a {@link org.apache.kafka.common.KafkaException} naming
 *       the bootstrap servers and the topic;
 *   <li>a record that cannot be deserialised (a poison record): a {@link
 *       org.apache.kafka.common.KafkaException} naming its topic, partition and offset, unless
 *       {@link Builder#skipUndeserializable(boolean)} is set, in which case the record is skipped
 *       (seeked past), logged and counted in {@link Stats#skippedRecords()};
 *   <li>any other exception of the consumer.
 * </ul>
 *
 * <p>A {@code KafkaSource} is immutable apart from its statistics and thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class KafkaSource<K, V> {

    /** The poll timeout unless set: also the longest a full downstream delays a poll. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);

    /** How long the source waits for a broker at start unless set. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Properties properties;
    private final List<String> topics;
    private final Supplier<? extends Deserializer<K>> keyDeserializer;
    private final Supplier<? extends Deserializer<V>> valueDeserializer;
    private final Duration pollTimeout;
    private final Duration connectTimeout;
    private final boolean skipUndeserializable;
    private final SourceStats stats = new SourceStats();

    private KafkaSource(Builder<K, V> b, Properties properties) {
        this.name = b.name;
        this.properties = properties;
        this.topics = List.copyOf(b.topics);
        this.keyDeserializer = b.keyDeserializer;
        this.valueDeserializer = b.valueDeserializer;
        this.pollTimeout = b.pollTimeout;
        this.connectTimeout = b.connectTimeout;
        this.skipUndeserializable = b.skipUndeserializable;
    }

    /**
     * Starts a builder; the deserialisers are made afresh for each run (a consumer closes its
     * deserialisers when it closes), so pass constructors: {@code StringDeserializer::new}.
     *
     * @param keyDeserializer makes the key deserialiser
     * @param valueDeserializer makes the value deserialiser
     * @param <K> the key type
     * @param <V> the value type
     * @return a new builder
     * @throws NullPointerException if an argument is null
     */
    public static <K, V> Builder<K, V> builder(
            Supplier<? extends Deserializer<K>> keyDeserializer,
            Supplier<? extends Deserializer<V>> valueDeserializer) {
        return new Builder<>(
                requireNonNull(keyDeserializer, "keyDeserializer"),
                requireNonNull(valueDeserializer, "valueDeserializer"));
    }

    /**
     * A pipeline whose source reads this source's topics; each run is a new member of the group.
     *
     * @return the pipeline, its source stage named as set with {@link Builder#name}
     */
    public Pipeline<KafkaRecord<K, V>> pipeline() {
        return Pipeline.generate(
                name,
                out -> {
                    Properties copy = new Properties();
                    copy.putAll(properties);
                    new SourceLoop<>(
                                    copy,
                                    topics,
                                    keyDeserializer.get(),
                                    valueDeserializer.get(),
                                    pollTimeout,
                                    connectTimeout,
                                    skipUndeserializable,
                                    stats)
                            .run(out);
                });
    }

    /**
     * What this source's runs have done so far, summed over every run; safe to call while they
     * run.
     *
     * @return a snapshot of the counters
     */
    public Stats stats() {
        return stats.snapshot();
    }

    /**
     * Counters of a {@link KafkaSource}, summed over its runs.
     *
     * @param polls calls to {@code poll()}
     * @param recordsPolled records returned by those polls
     * @param recordsSent records sent downstream
     * @param pauses times the assigned partitions were paused because downstream was full
     * @param resumes times they were resumed
     * @param pausedTime time spent paused
     * @param maxBuffered the most records ever waiting in the local buffer (at most one poll)
     * @param rebalances times partitions were assigned to a member (the first assignment counts)
     * @param partitionsRevoked partitions revoked or lost, on rebalances and when a member closes
     * @param skippedRecords poison records skipped under {@link
     *     Builder#skipUndeserializable(boolean)}
     */
    public record Stats(
            long polls,
            long recordsPolled,
            long recordsSent,
            long pauses,
            long resumes,
            Duration pausedTime,
            long maxBuffered,
            long rebalances,
            long partitionsRevoked,
            long skippedRecords) {}

    /**
     * Builds a {@link KafkaSource}. Not thread-safe; {@link #build()} copies what it was given.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    public static final class Builder<K, V> {
        private final Supplier<? extends Deserializer<K>> keyDeserializer;
        private final Supplier<? extends Deserializer<V>> valueDeserializer;
        private final Properties properties = new Properties();
        private List<String> topics = List.of();
        private String name = "kafka-source";
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean skipUndeserializable;

        private Builder(
                Supplier<? extends Deserializer<K>> keyDeserializer,
                Supplier<? extends Deserializer<V>> valueDeserializer) {
            this.keyDeserializer = keyDeserializer;
            this.valueDeserializer = valueDeserializer;
        }

        /**
         * Adds consumer configuration (any {@link ConsumerConfig} key); later calls and the other
         * setters override earlier values.
         *
         * @param consumerProperties the properties, copied
         * @return this builder
         */
        public Builder<K, V> properties(Properties consumerProperties) {
            properties.putAll(requireNonNull(consumerProperties, "consumerProperties"));
            return this;
        }

        /**
         * Sets {@code bootstrap.servers}.
         *
         * @param bootstrapServers {@code host:port[,host:port...]}
         * @return this builder
         */
        public Builder<K, V> bootstrapServers(String bootstrapServers) {
            properties.setProperty(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    requireNonNull(bootstrapServers, "bootstrapServers"));
            return this;
        }

        /**
         * Sets {@code group.id}, the consumer group the runs join.
         *
         * @param groupId the group
         * @return this builder
         */
        public Builder<K, V> groupId(String groupId) {
            properties.setProperty(
                    ConsumerConfig.GROUP_ID_CONFIG, requireNonNull(groupId, "groupId"));
            return this;
        }

        /**
         * Sets the topics to subscribe to.
         *
         * @param topics at least one topic
         * @return this builder
         */
        public Builder<K, V> topics(String... topics) {
            return topics(List.of(topics));
        }

        /**
         * Sets the topics to subscribe to.
         *
         * @param topics at least one topic
         * @return this builder
         */
        public Builder<K, V> topics(Collection<String> topics) {
            this.topics = List.copyOf(topics);
            return this;
        }

        /**
         * Names the source stage (default {@code kafka-source}).
         *
         * @param name the stage's name
         * @return this builder
         */
        public Builder<K, V> name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets how long one {@code poll()} waits for records, which is also the longest the
         * source waits for room downstream before polling again (default {@link
         * #DEFAULT_POLL_TIMEOUT}). Keep it well below {@code max.poll.interval.ms}.
         *
         * @param pollTimeout positive
         * @return this builder
         */
        public Builder<K, V> pollTimeout(Duration pollTimeout) {
            this.pollTimeout = positive(pollTimeout, "pollTimeout");
            return this;
        }

        /**
         * Sets how long the source waits at start for the brokers to tell it the partitions of its
         * topics (default {@link #DEFAULT_CONNECT_TIMEOUT}); past it the stage fails.
         *
         * @param connectTimeout positive
         * @return this builder
         */
        public Builder<K, V> connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Whether a record that cannot be deserialised is skipped (seeked past, logged at WARN and
         * counted) instead of failing the stage. Off by default: a poison record then fails the
         * run with its topic, partition and offset, and is read again by the next run, so skip
         * only when losing such records is acceptable.
         *
         * @param skip {@code true} to skip poison records
         * @return this builder
         */
        public Builder<K, V> skipUndeserializable(boolean skip) {
            this.skipUndeserializable = skip;
            return this;
        }

        /**
         * Checks the configuration and builds the source.
         *
         * @return the source
         * @throws IllegalArgumentException if no bootstrap servers, group id or topic is set, or
         *     {@code enable.auto.commit} is {@code true}
         */
        public KafkaSource<K, V> build() {
            Properties p = new Properties();
            p.putAll(properties);
            require(p, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
            require(p, ConsumerConfig.GROUP_ID_CONFIG);
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("no topic to subscribe to");
            }
            if (Boolean.parseBoolean(
                    String.valueOf(p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)))) {
                throw new IllegalArgumentException(
                        "enable.auto.commit=true commits records before they are processed;"
                                + " KafkaSource commits no offset yet (see its javadoc)");
            }
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // a rebalance then revokes only the partitions that move, not every partition
            p.putIfAbsent(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
            return new KafkaSource<>(this, p);
        }

        private static void require(Properties p, String key) {
            Object v = p.get(key);
            if (v == null || String.valueOf(v).isBlank()) {
                throw new IllegalArgumentException(key + " is not set");
            }
        }

        private static Duration positive(Duration d, String what) {
            requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive but was " + d);
            }
            return d;
        }
    }
}
