package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.stream.IntStream;

@ExtendWith(KafkaBroker.class)
class BrokerSmokeTest {

    @Test
    void producedRecordsAreReadBack(InProcessBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopic(bootstrap, "smoke", 3);
        KafkaTestClients.produceStrings(
                bootstrap, "smoke", IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());

        assertThat(KafkaTestClients.readAll(bootstrap, "smoke")).hasSize(100);
        assertThat(
                        KafkaTestClients.endOffsets(bootstrap, "smoke").values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                .isEqualTo(100);
        assertThat(KafkaTestClients.committedOffsets(bootstrap, "nobody")).isEmpty();
        assertThat(List.of(bootstrap)).allMatch(b -> b.startsWith("127.0.0.1:"));
    }
}
