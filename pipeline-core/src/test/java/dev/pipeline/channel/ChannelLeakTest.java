package dev.pipeline.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.Pipeline;
import dev.pipeline.PipelineRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A sender dropped while open is reported (SLF4J warning, slf4j-simple writes to System.err). */
class ChannelLeakTest {

    @Test
    @Timeout(60)
    void aSenderDroppedWhileOpenIsReportedAndTheReceiverLoopEnds() throws Exception {
        List<Integer> got = new ArrayList<>();
        List<ReceiveResult<Integer>> results = new ArrayList<>();
        String log =
                stderrOf(
                        () -> {
                            Channel<Integer> ch = Channel.bounded(4, "leaky-channel");
                            Receiver<Integer> rx = ch.receiver();
                            sendOneAndForgetTheSender(ch);
                            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
                            while (System.nanoTime() - deadline < 0) {
                                System.gc();
                                ReceiveResult<Integer> r = rx.receive(Duration.ofMillis(100));
                                results.add(r);
                                if (r instanceof ReceiveResult.Received<Integer> v) {
                                    got.add(v.value());
                                } else if (r instanceof ReceiveResult.Closed) {
                                    break;
                                }
                            }
                        });
        ReceiveResult<Integer> last = results.isEmpty() ? null : results.get(results.size() - 1);
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

    /**
     * The run does not watch the handles it opens (it closes them itself), but a copy that a
     * custom stage makes of one is the user's, and is watched like any other handle.
     */
    @Test
    @Timeout(60)
    void aStageSendersCopyDroppedWhileOpenIsReportedAndTheRunEnds() throws Exception {
        List<List<Integer>> got = new ArrayList<>();
        Thread collector =
                Thread.ofPlatform()
                        .daemon()
                        .start(
                                () -> {
                                    while (!Thread.currentThread().isInterrupted()) {
                                        System.gc();
                                        try {
                                            Thread.sleep(50);
                                        } catch (InterruptedException e) {
                                            return;
                                        }
                                    }
                                });
        String log;
        try {
            log =
                    stderrOf(
                            () -> {
                                PipelineRun<List<Integer>> run =
                                        Pipeline.range(0, 5)
                                                .<Integer>through(
                                                        "forgetful",
                                                        (in, out) -> {
                                                            copyAndForget(out);
                                                            for (Integer x : in) {
                                                                out.send(x);
                                                            }
                                                        })
                                                .named("leaky-run")
                                                .start(Collectors.toList());
                                got.add(run.await(Duration.ofSeconds(45)));
                            });
        } finally {
            collector.interrupt();
            collector.join();
        }
        assertThat(got.get(0)).containsExactlyInAnyOrder(-1, 0, 1, 2, 3, 4);
        assertThat(log)
                .contains("became unreachable while still open")
                .contains("sender created here")
                .contains(ChannelLeakTest.class.getName());
    }

    private static void copyAndForget(Sender<Integer> out) throws InterruptedException {
        Sender<Integer> extra = out.copy();
        extra.send(-1);
        // no extra.close(): without the leak check the stage's output would never close
    }

    @Test
    @Timeout(60)
    void aClosedSenderIsNotReported() throws Exception {
        String log =
                stderrOf(
                        () -> {
                            Channel<Integer> ch = Channel.bounded(4, "tidy-channel");
                            Receiver<Integer> rx = ch.receiver();
                            closeTheSender(ch);
                            for (int i = 0; i < 3; i++) {
                                System.gc();
                                Thread.sleep(50);
                            }
                            assertThat(rx.tryReceive()).isEqualTo(new ReceiveResult.Closed<>(null));
                        });
        assertThat(log).doesNotContain("tidy-channel");
    }

    /** Code that may throw, run with standard error captured. */
    private interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} with standard error captured (slf4j-simple logs there); returns it. */
    private static String stderrOf(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void closeTheSender(Channel<Integer> ch) {
        ch.sender().close();
    }
}
