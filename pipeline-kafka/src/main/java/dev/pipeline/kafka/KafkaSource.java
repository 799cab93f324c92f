package dev.pipeline.kafka;

import static java.util.Objects.requireNonNull;

import dev.pipeline.ErrorPolicy;
import dev.pipeline.Pipeline;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * A pipeline source over a consumer group's share of some topics: {@link #pipeline()} yields the
 * records the group assigns to this member as {@link KafkaRecord}s, with their topic, partition and
 * offset, and commits each partition's offset only once every record before it is done downstream
 * (at-least-once, end to end).
 *
 * <pre>{@code
 * KafkaSource<String, String> orders = KafkaSource.builder(StringDeserializer::new, StringDeserializer::new)
 *         .bootstrapServers("127.0.0.1:9092")
 *         .groupId("billing")
 *         .topics("orders")
 *         .build();
 * orders.pipeline()                                  // ends with the "kafka-source.deserialize" stage
 *         .onError(ErrorPolicy.skip())               // poison records: skipped (default: fail)
 *         .mapParallelUnordered(8, r -> bill(r.value()))
 *         .forEach(receipt -> log(receipt));
 * }</pre>
 *
 * <p><b>Threads.</b> Each run of the pipeline creates its own {@code KafkaConsumer} on the
 * source's thread, and only that thread touches it; it is closed when the source ends. Running the
 * pipeline twice at once makes two members of the group. The consumer reads bytes; the stage after
 * the source ({@code <name>.deserialize}) deserialises them, so a poison record is that stage's
 * failure, subject to its {@linkplain Pipeline.Stage#onError error policy}, and never stops the
 * consumer.
 *
 * <p><b>Back-pressure.</b> The records of one poll (at most {@code max.poll.records}) are kept in a
 * local buffer and sent downstream as there is room. When the downstream channel is full, the
 * source pauses every assigned partition and keeps calling {@code poll()} at least every poll
 * timeout (a paused poll fetches nothing), so the member stays in its group however slow the
 * pipeline is; when the buffer is empty again it resumes them. Memory is bounded by the pipeline's
 * channel capacities plus one poll (the channel from the consumer to the deserialize stage holds 64
 * records; set the deserialize stage's own with {@code pipeline().capacity(n)}). See {@link #stats()} for pause and rebalance counters.
 *
 * <p><b>Offsets.</b> Each record is sent with a completion the runtime calls when the record and
 * everything made from it are done: consumed by the terminal, acknowledged by a {@link KafkaSink},
 * dropped by a {@code filter}, skipped or dead-lettered by an error policy. Per partition, the
 * source commits the offset below which every record is done (the contiguous prefix, however out
 * of order a parallel map finishes them): every {@linkplain Builder#commitInterval commit
 * interval}, when partitions are revoked, and when the source ends. A record whose fate is unknown
 * (the run failed or was cancelled with it in flight) is never committed: the next member reads it
 * again. Auto-commit is refused. See {@code docs/adr/0020-kafka-offset-commits.md}.
 *
 * <p><b>Rebalance.</b> On revocation the source drops the buffered records of the revoked
 * partitions, waits until the ones in flight are done (at most the {@linkplain
 * Builder#revocationTimeout revocation timeout}), commits, and lets the partitions go; records of
 * those partitions done later commit nothing here. Lost partitions (the member was thrown out of
 * its group) are let go without a commit. An assigned partition starts at the group's committed
 * offset ({@code auto.offset.reset}, {@code earliest} unless set, when there is none).
 *
 * <p><b>Stopping.</b> The source ends quietly when every downstream stage has stopped (after a
 * {@link Pipeline#take take}, for example): it waits a little for the records in flight to be done
 * (until none is in flight, no record was done for one commit interval, or the revocation timeout
 * passes), commits, and closes its consumer, leaving the group at once. It ends with the run when
 * the run fails or is cancelled, committing only what is done. It never ends by itself.
 *
 * <p><b>Failures</b> of the consumer fail the source's stage, so the run's {@link
 * dev.pipeline.PipelineException} has one of these as its cause:
 *
 * <ul>
 *   <li>no broker answers within the {@linkplain Builder#connectTimeout connect timeout} at
 *       start or during the run, or a topic does not exist: a {@link KafkaException} naming the
 *       bootstrap servers, the topic and (during the run) the assigned partitions;
 *   <li>any other exception of the consumer.
 * </ul>
 *
 * <p>A record that cannot be deserialised fails the {@code <name>.deserialize} stage instead
 * (unless its policy says otherwise), with a {@link KafkaException} naming the record's topic,
 * partition and offset.
 *
 * <p><b>Metrics.</b> {@link #stats()} counts polls, pauses, rebalances, commits and the offsets
 * last committed; the source stage's status line in the run's report shows each assigned
 * partition's consumer lag and the time paused so far.
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

    /** How often done offsets are committed unless set. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    /** How long a revocation waits for the revoked partitions' records in flight unless set. */
    public static final Duration DEFAULT_REVOCATION_TIMEOUT = Duration.ofSeconds(10);

    /*
     * The channel from the consumer to the deserialize stage: small, as the deserialiser is
     * quick; the user sizes the buffer after it with the deserialize stage's capacity(n).
     */
    private static final int DESERIALIZE_CAPACITY = 64;

    private final String name;
    private final Properties properties;
    private final List<String> topics;
    private final Supplier<? extends Deserializer<K>> keyDeserializer;
    private final Supplier<? extends Deserializer<V>> valueDeserializer;
    private final Duration pollTimeout;
    private final Duration connectTimeout;
    private final Duration commitInterval;
    private final Duration revocationTimeout;
    private final SourceStats stats = new SourceStats();

    private KafkaSource(Builder<K, V> b, Properties properties) {
        this.name = b.name;
        this.properties = properties;
        this.topics = List.copyOf(b.topics);
        this.keyDeserializer = b.keyDeserializer;
        this.valueDeserializer = b.valueDeserializer;
        this.pollTimeout = b.pollTimeout;
        this.connectTimeout = b.connectTimeout;
        this.commitInterval = b.commitInterval;
        this.revocationTimeout = b.revocationTimeout;
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
     * A pipeline whose source reads this source's topics, each run a new member of the group,
     * followed by a stage named {@code <name>.deserialize} that deserialises each record's key and
     * value. Set that stage's poison-record policy with {@link Pipeline.Stage#onError}: by default
     * a record that cannot be deserialised fails the run with a {@link KafkaException} naming its
     * topic, partition and offset; {@link ErrorPolicy#skip()} drops it (its offset is then
     * committed past it); {@link ErrorPolicy#deadLetter} hands a {@link dev.pipeline.DeadLetter}
     * whose item is the raw record (topic, partition, offset, bytes).
     *
     * <pre>{@code
     * Channel<DeadLetter<KafkaRecord<byte[], byte[]>>> poison = Channel.unbounded();
     * orders.pipeline()
     *         .onError(ErrorPolicy.deadLetter(poison.sender()))
     *         .forEach(r -> bill(r.value()));
     * }</pre>
     *
     * @return the pipeline; its source stage is named as set with {@link Builder#name}
     */
    public Pipeline.Stage<KafkaRecord<byte[], byte[]>, KafkaRecord<K, V>> pipeline() {
        // one pair of deserialisers per thread of the deserialize stage, so per run: a
        // deserialiser need not be thread-safe
        ThreadLocal<Deserializers<K, V>> deserializers =
                ThreadLocal.withInitial(
                        () -> new Deserializers<>(keyDeserializer.get(), valueDeserializer.get()));
        return Pipeline.<KafkaRecord<byte[], byte[]>>generateTracked(
                        name,
                        out -> {
                            Properties copy = new Properties();
                            copy.putAll(properties);
                            new SourceLoop(
                                            copy,
                                            topics,
                                            pollTimeout,
                                            connectTimeout,
                                            commitInterval,
                                            revocationTimeout,
                                            stats)
                                    .run(out);
                        })
                .capacity(DESERIALIZE_CAPACITY)
                .map(name + ".deserialize", r -> deserializers.get().deserialize(r));
    }

    /** The deserialisers of one thread of the deserialize stage. */
    private record Deserializers<K, V>(Deserializer<K> key, Deserializer<V> value) {
        KafkaRecord<K, V> deserialize(KafkaRecord<byte[], byte[]> r) {
            Headers headers = new RecordHeaders(r.headers());
            K k;
            V v;
            try {
                k = r.key() == null ? null : key.deserialize(r.topic(), headers, r.key());
            } catch (RuntimeException e) {
                throw poison("key", r, e);
            }
            try {
                v = r.value() == null ? null : value.deserialize(r.topic(), headers, r.value());
            } catch (RuntimeException e) {
                throw poison("value", r, e);
            }
            return new KafkaRecord<>(
                    r.topic(), r.partition(), r.offset(), r.timestamp(), k, v, r.headers());
        }

        private static KafkaException poison(
                String what, KafkaRecord<byte[], byte[]> r, RuntimeException e) {
            return new KafkaException(
                    "cannot deserialize the "
                            + what
                            + " of the record at topic "
                            + r.topic()
                            + " partition "
                            + r.partition()
                            + " offset "
                            + r.offset()
                            + " ("
                            + e
                            + ")",
                    e);
        }
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
     * @param recordsDone records the runtime told done downstream (while their partition was
     *     still assigned)
     * @param commits successful offset commits
     * @param committedOffsets per partition, the offset last committed (the next record to read)
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
            long recordsDone,
            long commits,
            Map<TopicPartition, Long> committedOffsets) {

        /**
         * Copies the map.
         *
         * @throws NullPointerException if {@code pausedTime} or {@code committedOffsets} is null
         */
        public Stats {
            requireNonNull(pausedTime, "pausedTime");
            committedOffsets = Map.copyOf(committedOffsets);
        }
    }

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
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private Duration revocationTimeout = DEFAULT_REVOCATION_TIMEOUT;

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
         * Sets how long the source goes without an answer from a broker before its stage fails
         * (default {@link #DEFAULT_CONNECT_TIMEOUT}): at start, for the partitions of its topics;
         * during the run, for records, commits, or the probes it sends when none came for a while
         * (the consumer alone would reconnect for ever). A broker back within it goes unnoticed.
         *
         * @param connectTimeout positive
         * @return this builder
         */
        public Builder<K, V> connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how often the source commits the offsets of the records done since its last commit
         * (default {@link #DEFAULT_COMMIT_INTERVAL}); it commits on revocation and at the end as
         * well. A shorter interval means fewer records read again after a crash, and more commit
         * requests.
         *
         * @param commitInterval positive
         * @return this builder
         */
        public Builder<K, V> commitInterval(Duration commitInterval) {
            this.commitInterval = positive(commitInterval, "commitInterval");
            return this;
        }

        /**
         * Sets how long a revocation waits for the records of the revoked partitions that are in
         * flight downstream before it commits and lets the partitions go (default {@link
         * #DEFAULT_REVOCATION_TIMEOUT}); records not done by then are read again by the new owner.
         * The wait runs inside {@code poll()}: keep it well below {@code max.poll.interval.ms}.
         * It also bounds the wait for records in flight when the source ends quietly.
         *
         * @param revocationTimeout positive
         * @return this builder
         */
        public Builder<K, V> revocationTimeout(Duration revocationTimeout) {
            this.revocationTimeout = positive(revocationTimeout, "revocationTimeout");
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
                                + " KafkaSource commits the offsets of records done itself");
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
