package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.ChannelClosedException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

@Timeout(20)
class LifecycleTest {
    private final Threads threads = new Threads();

    /** A source that never ends by itself: it sends until stopped. */
    private static Pipeline<Long> endless(AtomicLong sent) {
        return Pipeline.generate(
                "endless",
                out -> {
                    for (long i = 0; ; i++) {
                        out.send(i);
                        sent.incrementAndGet();
                    }
                });
    }

    @Test
    void takeCancelsAnEndlessSourceQuietly() {
        AtomicLong sent = new AtomicLong();
        List<Long> got = threads.watch(endless(sent).map(x -> x * 2).take(10)).toList();
        assertThat(got).containsExactly(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L);
        threads.assertAllEnded();
    }

    @Test
    void takeWhileCancelsAnEndlessSourceQuietly() {
        List<Long> got = threads.watch(endless(new AtomicLong()).takeWhile(x -> x < 3)).toList();
        assertThat(got).containsExactly(0L, 1L, 2L);
        threads.assertAllEnded();
    }

    @Test
    void sourceSeesChannelClosedWhenDownstreamStops() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Pipeline<Integer> p =
                Pipeline.generate(
                        out -> {
                            try {
                                for (int i = 0; ; i++) {
                                    out.send(i);
                                }
                            } catch (ChannelClosedException e) {
                                seen.set(e);
                                throw e;
                            }
                        });
        assertThat(threads.watch(p.take(1)).toList()).containsExactly(0);
        assertThat(seen.get()).isInstanceOf(ChannelClosedException.class);
        threads.assertAllEnded();
    }

    @Test
    void failureNamesTheStageAndKeepsTheCause() {
        Pipeline<Integer> p =
                Pipeline.range(0, 100)
                        .map("ok", x -> x)
                        .map(
                                "boom",
                                x -> {
                                    if (x == 42) {
                                        throw new IOException("bad item " + x);
                                    }
                                    return x;
                                });
        assertThatThrownBy(() -> threads.watch(p).toList())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("boom"))
                .hasCauseInstanceOf(IOException.class)
                .hasMessageContaining("boom")
                .hasMessageContaining("bad item 42");
        threads.assertAllEnded();
    }

    @Test
    void failureCancelsAnEndlessUpstream() {
        Pipeline<Long> p =
                endless(new AtomicLong())
                        .map(
                                "boom",
                                x -> {
                                    if (x == 1000) {
                                        throw new IllegalStateException("x");
                                    }
                                    return x;
                                });
        assertThatThrownBy(() -> threads.watch(p).count())
                .isInstanceOf(PipelineException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        threads.assertAllEnded();
    }

    @Test
    void failureStopsASlowDownstreamStage() {
        Pipeline<Integer> p =
                Pipeline.generate(
                                "src",
                                (dev.pipeline.channel.Sender<Integer> out) -> {
                                    out.send(1);
                                    throw new IOException("source broke");
                                })
                        .map(
                                "slow",
                                x -> {
                                    Thread.sleep(60_000);
                                    return x;
                                });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> threads.watch(p).toList())
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("src"));
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
        threads.assertAllEnded();
    }

    @Test
    void laterFailuresAreSuppressed() throws Exception {
        CountDownLatch bothFailing = new CountDownLatch(2);
        Pipeline<Integer> p =
                Pipeline.range(0, 8)
                        .mapParallelUnordered(
                                "both",
                                2,
                                x -> {
                                    bothFailing.countDown();
                                    bothFailing.await();
                                    // interrupts from the first failure are ignored on purpose
                                    throw new IllegalStateException("fail " + x);
                                });
        Throwable e =
                org.assertj.core.api.Assertions.catchThrowable(() -> threads.watch(p).toList());
        assertThat(e).isInstanceOf(PipelineException.class);
        assertThat(((PipelineException) e).stageName()).isEqualTo("both");
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        assertThat(e.getCause().getSuppressed()).hasSize(1);
        threads.assertAllEnded();
    }

    @Test
    void downstreamOfAFailedStageSeesTheFailure() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Pipeline<Integer> p =
                Pipeline.generate(
                                "src",
                                (dev.pipeline.channel.Sender<Integer> out) -> {
                                    out.send(1);
                                    throw new IOException("broken");
                                })
                        .through(
                                "custom",
                                (in, out) -> {
                                    try {
                                        for (Integer x : in) {
                                            out.send(x);
                                        }
                                    } catch (RuntimeException e) {
                                        seen.set(e);
                                        throw e;
                                    }
                                });
        assertThatThrownBy(() -> threads.watch(p).toList()).isInstanceOf(PipelineException.class);
        threads.assertAllEnded();
        // either it saw the failure travel down the channel, or it was stopped by the run
        if (seen.get() != null) {
            assertThat(seen.get())
                    .isInstanceOfAny(
                            ChannelClosedException.class,
                            dev.pipeline.channel.ChannelInterruptedException.class);
        }
    }

    @Test
    void cancelStopsEveryThreadAndAwaitThrowsCancellation() throws Exception {
        PipelineRun<Long> run =
                threads.watch(endless(new AtomicLong()).map(x -> x + 1))
                        .start(Collectors.counting());
        run.cancel();
        assertThatThrownBy(run::await).isInstanceOf(CancellationException.class);
        assertThat(run.isDone()).isTrue();
        threads.assertAllEnded();
    }

    @Test
    void cancelStopsAStageBlockedInUserCode() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        PipelineRun<Void> run =
                threads.watch(
                                Pipeline.range(0, 10)
                                        .map(
                                                x -> {
                                                    inside.countDown();
                                                    Thread.sleep(60_000);
                                                    return x;
                                                }))
                        .start();
        inside.await();
        run.cancel();
        assertThatThrownBy(run::await).isInstanceOf(CancellationException.class);
        threads.assertAllEnded();
    }

    @Test
    void awaitTimeoutCancelsAndThrowsTimeout() throws Exception {
        PipelineRun<Long> run =
                threads.watch(endless(new AtomicLong())).start(Collectors.counting());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> run.await(Duration.ofMillis(200)))
                .isInstanceOf(TimeoutException.class);
        long took = System.nanoTime() - t0;
        assertThat(took).isBetween(TimeUnit.MILLISECONDS.toNanos(190), TimeUnit.SECONDS.toNanos(5));
        assertThat(run.isDone()).isTrue();
        threads.assertAllEnded();
    }

    @Test
    void awaitWithinTheTimeoutReturnsTheResult() throws Exception {
        PipelineRun<Long> run = threads.watch(Pipeline.range(0, 100)).start(Collectors.counting());
        assertThat(run.await(Duration.ofSeconds(10))).isEqualTo(100L);
        threads.assertAllEnded();
    }

    @Test
    void interruptedCallerCancelsTheRunAndKeepsTheFlag() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(1);
        Pipeline<Long> p =
                threads.watch(
                        endless(new AtomicLong())
                                .peek(
                                        x -> {
                                            if (x == 0) {
                                                running.countDown();
                                            }
                                        }));
        Thread caller =
                new Thread(
                        () -> {
                            try {
                                p.count();
                            } catch (Throwable t) {
                                thrown.set(t);
                            }
                            flagAfter.set(Thread.currentThread().isInterrupted());
                        });
        caller.start();
        running.await();
        caller.interrupt();
        caller.join();
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        assertThat(thrown.get().getCause()).isInstanceOf(InterruptedException.class);
        assertThat(flagAfter.get()).isTrue();
        threads.assertAllEnded();
    }

    @Test
    void interruptedAwaitCancelsTheRun() throws Exception {
        PipelineRun<Long> run =
                threads.watch(endless(new AtomicLong())).start(Collectors.counting());
        Thread.currentThread().interrupt();
        assertThatThrownBy(run::await).isInstanceOf(InterruptedException.class);
        assertThat(run.isDone()).isTrue();
        threads.assertAllEnded();
    }

    @Test
    void intoFailsTheTargetWhenTheRunFails() {
        Channel<Integer> ch = Channel.bounded(100);
        var rx = ch.receiver();
        Pipeline<Integer> p =
                Pipeline.range(0, 10)
                        .map(
                                "boom",
                                x -> {
                                    if (x == 5) {
                                        throw new IOException("no");
                                    }
                                    return x;
                                });
        assertThatThrownBy(() -> threads.watch(p).into(ch.sender()))
                .isInstanceOf(PipelineException.class);
        assertThatThrownBy(
                        () -> {
                            while (true) {
                                rx.receive();
                            }
                        })
                .isInstanceOf(ChannelClosedException.class)
                .hasCauseInstanceOf(PipelineException.class);
        threads.assertAllEnded();
    }

    @Test
    void failedInputChannelFailsAFromReceiverPipeline() throws Exception {
        Channel<Integer> ch = Channel.bounded(10);
        var tx = ch.sender();
        tx.send(1);
        tx.fail(new IOException("producer died"));
        assertThatThrownBy(() -> threads.watch(Pipeline.from(ch.receiver())).toList())
                .isInstanceOf(PipelineException.class)
                .hasCauseInstanceOf(IOException.class)
                .satisfies(
                        e ->
                                assertThat(((PipelineException) e).stageName())
                                        .isEqualTo("fromReceiver"));
        threads.assertAllEnded();
    }

    @Test
    void fromReceiverRunsOnlyOnce() {
        Channel<Integer> ch = Channel.bounded(10);
        ch.sender().close();
        Pipeline<Integer> p = threads.watch(Pipeline.from(ch.receiver()));
        assertThat(p.toList()).isEmpty();
        assertThatThrownBy(p::toList).isInstanceOf(IllegalStateException.class);
        threads.assertAllEnded();
    }

    @Test
    void nullResultFailsTheStage() {
        assertThatThrownBy(
                        () -> threads.watch(Pipeline.range(0, 3).map("nulls", x -> null)).toList())
                .isInstanceOf(PipelineException.class)
                .hasCauseInstanceOf(NullPointerException.class)
                .satisfies(e -> assertThat(((PipelineException) e).stageName()).isEqualTo("nulls"));
        threads.assertAllEnded();
    }

    @Test
    void virtualThreadsRunTheStagesAndEnd() {
        List<Integer> out =
                threads.watch(Pipeline.range(0, 1000).map(x -> x + 1).withVirtualThreads())
                        .toList();
        assertThat(out).hasSize(1000);
        assertThat(threads.seen).allMatch(Thread::isVirtual);
        threads.assertAllEnded();
    }

    @Test
    void perStageThreadKindOverridesThePipelineDefault() {
        threads.watch(
                        Pipeline.range(0, 10)
                                .map("v", x -> x)
                                .virtualThreads()
                                .map("p", x -> x)
                                .platformThreads()
                                .named("kinds")
                                .withVirtualThreads())
                .toList();
        assertThat(threads.seen)
                .filteredOn(t -> t.getName().equals("kinds-v"))
                .allMatch(Thread::isVirtual)
                .hasSize(1);
        assertThat(threads.seen)
                .filteredOn(t -> t.getName().equals("kinds-p"))
                .noneMatch(Thread::isVirtual)
                .hasSize(1);
        assertThat(threads.seen)
                .filteredOn(t -> t.getName().equals("kinds-range"))
                .allMatch(Thread::isVirtual);
        threads.assertAllEnded();
    }

    @Test
    void threadsAreNamedAfterPipelineStageAndWorker() {
        threads.watch(Pipeline.range(0, 10).mapParallelUnordered("sq", 2, x -> x * x).named("demo"))
                .toList();
        assertThat(threads.seen.stream().map(Thread::getName))
                .contains("demo-range", "demo-sq-0", "demo-sq-1", "demo-toList");
        threads.assertAllEnded();
    }

    @Test
    void aBlueprintRunsConcurrentlyFromSeveralThreads() throws Exception {
        Pipeline<Integer> p = threads.watch(Pipeline.range(0, 5000).map(x -> x + 1));
        PipelineRun<Long> a = p.start(Collectors.counting());
        PipelineRun<Long> b = p.start(Collectors.counting());
        assertThat(a.await()).isEqualTo(5000L);
        assertThat(b.await()).isEqualTo(5000L);
        threads.assertAllEnded();
    }
}
