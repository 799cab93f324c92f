package dev.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

class ChildProcessBrokerTest {

    @Test
    @Timeout(150)
    void dataSurvivesSigkillAndRestartOnTheSameLogDirectory() throws Exception {
        try (ChildProcessBroker broker = ChildProcessBroker.create()) {
            broker.start();
            String bootstrap = broker.bootstrapServers();
            KafkaTestClients.createTopic(bootstrap, "durable", 2);
            List<String> values = IntStream.range(0, 500).mapToObj(i -> "r" + i).toList();
            KafkaTestClients.produceStrings(bootstrap, "durable", values);

            broker.kill();
            assertThat(broker.isAlive()).isFalse();
            broker.start();

            List<String> read =
                    KafkaTestClients.readAll(bootstrap, "durable").stream()
                            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                            .toList();
            assertThat(read).containsExactlyInAnyOrderElementsOf(values);
        }
    }
}
