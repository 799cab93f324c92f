package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.Pipeline;
import dev.pipeline.PipelineException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

@ExtendWith(KafkaBroker.class)
class KafkaSinkTest {

    private static Properties producer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    @Test
    @Timeout(30)
    void everyItemIsWrittenWithFewSendsInFlight(InProcessBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopic(bootstrap, "sink-small-window", 3);
        KafkaSink<Integer> sink =
                KafkaSink.<Integer, String, String>of(
                                producer(bootstrap),
                                "sink-small-window",
                                StringSerializer::new,
                                StringSerializer::new,
                                i -> "k" + (i % 7),
                                i -> "v" + i)
                        .maxInFlight(2);

        long written = sink.writeAll(Pipeline.range(0, 500));

        assertThat(written).isEqualTo(500);
        assertThat(
                        KafkaTestClients.readAll(bootstrap, "sink-small-window").stream()
                                .map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 500).mapToObj(i -> "v" + i).toList());
    }

    @Test
    @Timeout(30)
    void aSendTheBrokerRefusesFailsTheRunNamingTopicAndPartition(InProcessBroker broker)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopic(bootstrap, "sink-too-large", 1);
        Properties p = producer(bootstrap);
        // the producer lets a 2 MB record through; the broker (1 MB by default) refuses it
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 << 20));
        KafkaSink<byte[]> sink =
                KafkaSink.<byte[], byte[], byte[]>of(
                        p,
                        "sink-too-large",
                        ByteArraySerializer::new,
                        ByteArraySerializer::new,
                        b -> null,
                        b -> b);

        assertThatThrownBy(() -> sink.writeAll(Pipeline.from(List.of(new byte[2 << 20]))))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("kafka-sink")
                .hasMessageContaining("send to topic sink-too-large partition 0 failed");
    }

    @Test
    void ofRefusesAMissingBootstrapAndABlankTopic() {
        assertThatThrownBy(
                        () ->
                                KafkaSink.<String, String, String>of(
                                        new Properties(),
                                        "t",
                                        StringSerializer::new,
                                        StringSerializer::new,
                                        s -> s,
                                        s -> s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(
                        () ->
                                KafkaSink.<String, String, String>of(
                                        producer("127.0.0.1:1"),
                                        " ",
                                        StringSerializer::new,
                                        StringSerializer::new,
                                        s -> s,
                                        s -> s))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                KafkaSink.<String, String, String>of(
                                                producer("127.0.0.1:1"),
                                                "t",
                                                StringSerializer::new,
                                                StringSerializer::new,
                                                s -> s,
                                                s -> s)
                                        .maxInFlight(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInFlight must be >= 1 but was 0");
    }
}
