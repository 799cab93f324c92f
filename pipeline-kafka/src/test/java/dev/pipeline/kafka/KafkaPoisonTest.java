package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.DeadLetter;
import dev.pipeline.ErrorPolicy;
import dev.pipeline.PipelineException;
import dev.pipeline.PipelineRun;
import dev.pipeline.StageMetrics;
import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ReceiveResult;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A record that cannot be deserialised (offset 10 of a one-partition topic; offsets 0-9 and 11-20
 * hold the ints 0-19) under each error policy of the source's deserialize stage.
 */
@ExtendWith(KafkaBroker.class)
class KafkaPoisonTest {

    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    private static final List<Integer> TWENTY = IntStream.range(0, 20).boxed().toList();

    @Test
    @Timeout(30)
    void failFailsTheRunNamingTopicPartitionAndOffsetAndCommitsNothingPastIt(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        producePoisoned(bootstrap, "p-fail");
        KafkaSource<byte[], Integer> source = integers(bootstrap, "p-fail").build();
        List<Integer> seen = new ArrayList<>();

        assertThatThrownBy(() -> source.pipeline().forEach(r -> seen.add(r.value())))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("p-fail.deserialize")
                .hasMessageContaining("topic p-fail partition 0 offset 10")
                .cause()
                .isInstanceOf(KafkaException.class);
        assertThat(seen).isSubsetOf(IntStream.range(0, 10).boxed().toList());
        Long committed = committed(bootstrap, "p-fail");
        assertThat(committed == null ? 0L : committed).isLessThanOrEqualTo(10L);

        // the next run meets it again, and fails again: never an endless loop
        assertThatThrownBy(() -> source.pipeline().forEach(r -> {}))
                .hasMessageContaining("topic p-fail partition 0 offset 10");
    }

    @Test
    @Timeout(30)
    void skipDropsItCountsItAndCommitsPastIt(InProcessBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        producePoisoned(bootstrap, "p-skip");
        KafkaSource<byte[], Integer> source = integers(bootstrap, "p-skip").build();
        List<Integer> seen = new CopyOnWriteArrayList<>();

        PipelineRun<Void> run =
                source.pipeline()
                        .onError(ErrorPolicy.skip())
                        .peek(r -> seen.add(r.value()))
                        .start();
        try {
            awaitCommitted(bootstrap, "p-skip", 21);
            assertThat(seen).containsExactlyElementsOf(TWENTY);
            StageMetrics deserialize = stage(run, "p-skip.deserialize");
            assertThat(deserialize.itemsIn() - deserialize.itemsOut()).as("skipped").isEqualTo(1);
        } finally {
            run.cancel();
        }
    }

    @Test
    @Timeout(30)
    void deadLetterHandsTheRawRecordAndCommitsPastItOnceHandled(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        producePoisoned(bootstrap, "p-dead");
        KafkaSource<byte[], Integer> source = integers(bootstrap, "p-dead").build();
        Channel<DeadLetter<KafkaRecord<byte[], byte[]>>> dead = Channel.unbounded();

        List<Integer> seen = new CopyOnWriteArrayList<>();

        PipelineRun<Void> run =
                source.pipeline()
                        .onError(ErrorPolicy.deadLetter(dead.sender()))
                        .peek(r -> seen.add(r.value()))
                        .start();
        try {
            awaitCommitted(bootstrap, "p-dead", 21);
        } finally {
            run.cancel();
        }

        assertThat(seen).containsExactlyElementsOf(TWENTY);
        ReceiveResult<DeadLetter<KafkaRecord<byte[], byte[]>>> r = dead.receiver().tryReceive();
        assertThat(r).isInstanceOf(ReceiveResult.Received.class);
        DeadLetter<KafkaRecord<byte[], byte[]>> letter =
                ((ReceiveResult.Received<DeadLetter<KafkaRecord<byte[], byte[]>>>) r).value();
        assertThat(letter.item().topic()).isEqualTo("p-dead");
        assertThat(letter.item().partition()).isZero();
        assertThat(letter.item().offset()).isEqualTo(10);
        assertThat(letter.item().value()).containsExactly(1, 2, 3);
        assertThat(letter.stage()).isEqualTo("p-dead.deserialize");
        assertThat(letter.error()).hasMessageContaining("topic p-dead partition 0 offset 10");
        assertThat(dead.receiver().tryReceive()).isInstanceOf(ReceiveResult.Empty.class);
    }

    @Test
    @Timeout(30)
    void retryThenSkipTriesAgainThenSkipsAndCommitsPastIt(InProcessBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        producePoisoned(bootstrap, "p-retry");
        AtomicInteger poisonTries = new AtomicInteger();
        KafkaSource<byte[], Integer> source =
                KafkaSource.builder(
                                ByteArrayDeserializer::new,
                                () -> new CountingIntegerDeserializer(poisonTries))
                        .bootstrapServers(bootstrap)
                        .groupId("p-retry")
                        .topics("p-retry")
                        .name("p-retry")
                        .commitInterval(COMMIT_INTERVAL)
                        .build();

        List<Integer> seen = new CopyOnWriteArrayList<>();

        PipelineRun<Void> run =
                source.pipeline()
                        .onError(ErrorPolicy.retry(3, Duration.ofMillis(5)).thenSkip())
                        .peek(r -> seen.add(r.value()))
                        .start();
        try {
            awaitCommitted(bootstrap, "p-retry", 21);
        } finally {
            run.cancel();
        }

        assertThat(seen).containsExactlyElementsOf(TWENTY);
        assertThat(poisonTries).hasValue(3);
    }

    /** An {@link IntegerDeserializer} that counts its calls on data that is not 4 bytes long. */
    private static final class CountingIntegerDeserializer implements Deserializer<Integer> {
        private final IntegerDeserializer ints = new IntegerDeserializer();
        private final AtomicInteger poisonTries;

        CountingIntegerDeserializer(AtomicInteger poisonTries) {
            this.poisonTries = poisonTries;
        }

        @Override
        public Integer deserialize(String topic, byte[] data) {
            if (data != null && data.length != 4) {
                poisonTries.incrementAndGet();
            }
            return ints.deserialize(topic, data);
        }
    }

    private static StageMetrics stage(PipelineRun<?> run, String name) {
        return run.metrics().stages().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + name));
    }

    private static Long committed(String bootstrap, String group) throws Exception {
        Map<TopicPartition, Long> c = KafkaTestClients.committedOffsets(bootstrap, group);
        return c.get(new TopicPartition(group, 0));
    }

    /** A source of int values, reading {@code topic} in a group and as a stage of that name. */
    private static KafkaSource.Builder<byte[], Integer> integers(String bootstrap, String topic) {
        return KafkaSource.builder(ByteArrayDeserializer::new, IntegerDeserializer::new)
                .bootstrapServers(bootstrap)
                .groupId(topic)
                .topics(topic)
                .name(topic)
                .commitInterval(COMMIT_INTERVAL);
    }

    /**
     * Waits until {@code group} has committed {@code position} on partition 0 of its topic (the
     * periodic commit of a run that goes on; the tests then cancel it).
     */
    private static void awaitCommitted(String bootstrap, String group, long position)
            throws Exception {
        KafkaCommitTest.eventually(
                () -> Long.valueOf(position).equals(committed(bootstrap, group)));
    }

    /** Offsets 0-9: ints 0-9; offset 10: three bytes; offsets 11-20: ints 10-19. */
    static void producePoisoned(String bootstrap, String topic) throws Exception {
        KafkaTestClients.createTopic(bootstrap, topic, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i == 10) {
                records.add(new ProducerRecord<>(topic, null, new byte[] {1, 2, 3}));
            }
            records.add(
                    new ProducerRecord<>(topic, null, ByteBuffer.allocate(4).putInt(i).array()));
        }
        // one by one, so the offsets are as written above
        for (ProducerRecord<byte[], byte[]> r : records) {
            KafkaTestClients.produce(bootstrap, List.of(r));
        }
    }
}
