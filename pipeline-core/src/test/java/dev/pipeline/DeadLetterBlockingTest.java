package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.Channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/** A full, undrained dead-letter channel blocks its stage: the live report says so. */
@Timeout(20)
class DeadLetterBlockingTest {
    private final Threads threads = new Threads();

    @Test
    void theReportShowsAStageBlockedOnItsFullDeadLetterChannel() throws Exception {
        Channel<DeadLetter<Integer>> dead = Channel.bounded(2, "dead");
        PipelineRun<Void> run =
                threads.watch(
                                Pipeline.range(0, 100)
                                        .map(
                                                "parse",
                                                x -> {
                                                    throw new IOException("bad " + x);
                                                })
                                        .onError(ErrorPolicy.deadLetter(dead.sender()))
                                        .named("dl"))
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String report = run.metrics().report();
        while (!report.contains("blocked on its dead-letter channel")
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
            report = run.metrics().report();
        }
        assertThat(run.isDone()).isFalse();
        assertThat(report)
                .contains("stage 'parse' is blocked on its dead-letter channel 'dead'")
                .contains("bottleneck: stage 'parse', blocked on its dead-letter channel 'dead'");
        StageMetrics parse = run.metrics().stages().get(1);
        assertThat(parse.name()).isEqualTo("parse");
        assertThat(parse.blockedOnDeadLetter()).isTrue();
        assertThat(parse.blockedDeadLetterNanos()).isPositive();
        assertThat(run.metrics().bottleneck()).map(StageMetrics::name).contains("parse");
        run.cancel();
        assertThatThrownBy(run::await).isInstanceOf(CancellationException.class);
        threads.assertAllEnded();
    }
}
