package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;

/**
 * Bad arguments fail at the call, before anything is sent: a null item or timeout, a negative
 * capacity (or {@link Channel#UNBOUNDED} given to {@code bounded}), a null name, a batch size below
 * its minimum. A null item in {@code sendAll} is in {@link BatchContractTest}.
 */
@Timeout(30)
class BadInputContractTest {

    @AllCapacities
    void aNullItemIsRejectedAtTheCall(int capacity) {
        Channel<Integer> ch = create(capacity);
        Sender<Integer> tx = ch.sender();
        assertThatThrownBy(() -> tx.send(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.send(null, Duration.ofMillis(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tx.send(1, null)).isInstanceOf(NullPointerException.class);
        assertThat(ch.stats().sent()).isZero();
    }

    @Test
    void aNegativeCapacityIsRejected() {
        assertThatThrownBy(() -> Channel.bounded(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Channel.bounded(Channel.UNBOUNDED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channel.bounded(1, null)).isInstanceOf(NullPointerException.class);
    }

    @AllCapacities
    void badBatchSizesAreRejected(int capacity) {
        Receiver<Integer> rx = TestChannels.<Integer>create(capacity).receiver();
        assertThatThrownBy(() -> rx.receiveBatch(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rx.drainTo(new ArrayList<>(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
