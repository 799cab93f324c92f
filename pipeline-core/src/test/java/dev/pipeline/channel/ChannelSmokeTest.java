package dev.pipeline.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class ChannelSmokeTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 16, 1024, Channel.UNBOUNDED})
    void itemsFlowInOrderAndTheLoopEndsWhenTheSenderCloses(int capacity) throws Exception {
        Channel<Integer> ch =
                capacity == Channel.UNBOUNDED ? Channel.unbounded() : Channel.bounded(capacity);
        Sender<Integer> tx = ch.sender();
        Receiver<Integer> rx = ch.receiver();
        int n = 200_000;
        Thread producer =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try (tx) {
                                        for (int i = 0; i < n; i++) {
                                            tx.send(i);
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        List<Integer> got = new ArrayList<>();
        for (int v : rx) {
            got.add(v);
        }
        producer.join();
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(i);
        }
        assertThat(rx.tryReceive()).isInstanceOf(ReceiveResult.Closed.class);
    }

    @Test
    void sendFailsWithValueWhenEveryReceiverClosed() throws Exception {
        Channel<String> ch = Channel.bounded(1);
        Sender<String> tx = ch.sender();
        ch.receiver().close();
        assertThatThrownBy(() -> tx.send("x"))
                .isInstanceOfSatisfying(
                        ChannelClosedException.class, e -> assertThat(e.unsent()).isEqualTo("x"));
        assertThat(tx.send("y", Duration.ofMillis(10)))
                .isEqualTo(new SendResult.Disconnected<>("y"));
    }
}
