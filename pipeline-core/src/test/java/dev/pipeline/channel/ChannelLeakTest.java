package dev.pipeline.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A sender dropped while open is reported (SLF4J warning, slf4j-simple writes to System.err). */
class ChannelLeakTest {

    @Test
    @Timeout(60)
    void aSenderDroppedWhileOpenIsReportedAndTheReceiverLoopEnds() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<Integer> got = new ArrayList<>();
        ReceiveResult<Integer> last = null;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Channel<Integer> ch = Channel.bounded(4, "leaky-channel");
            Receiver<Integer> rx = ch.receiver();
            sendOneAndForgetTheSender(ch);
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (System.nanoTime() - deadline < 0) {
                System.gc();
                last = rx.receive(Duration.ofMillis(100));
                if (last instanceof ReceiveResult.Received<Integer> r) {
                    got.add(r.value());
                } else if (last instanceof ReceiveResult.Closed) {
                    break;
                }
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(got).containsExactly(1);
        assertThat(last).as("the receiver loop ends").isEqualTo(new ReceiveResult.Closed<>(null));
        assertThat(log)
                .contains("sender of channel 'leaky-channel' became unreachable while still open")
                .contains("sender created here")
                .contains(ChannelLeakTest.class.getName());
    }

    private static void sendOneAndForgetTheSender(Channel<Integer> ch) throws InterruptedException {
        Sender<Integer> tx = ch.sender();
        tx.send(1);
        // no tx.close(): the classic "loop hangs forever" mistake
    }

    @Test
    @Timeout(60)
    void aClosedSenderIsNotReported() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Channel<Integer> ch = Channel.bounded(4, "tidy-channel");
            Receiver<Integer> rx = ch.receiver();
            closeTheSender(ch);
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50);
            }
            assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Closed<>(null));
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("tidy-channel");
    }

    private static void closeTheSender(Channel<Integer> ch) {
        ch.sender().close();
    }
}
