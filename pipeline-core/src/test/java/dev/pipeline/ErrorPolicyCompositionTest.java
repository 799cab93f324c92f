package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.Channel;
import dev.pipeline.channel.Receiver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Retry composed with dead letters or skip, typed dead letters, and forEach's policy. */
@Timeout(20)
class ErrorPolicyCompositionTest {
    private static final Duration MS = Duration.ofMillis(1);

    private final Threads threads = new Threads();
    private final Map<Integer, AtomicInteger> tries = new ConcurrentHashMap<>();

    /** Fails on every odd item, every time; counts the tries per item. */
    private Integer failOnOdd(Integer x) throws IOException {
        tries.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
        if (x % 2 == 1) {
            throw new IOException("odd " + x);
        }
        return x;
    }

    private static <T> List<T> drain(Receiver<T> rx) {
        List<T> all = new ArrayList<>();
        for (T t : rx) {
            all.add(t);
        }
        return all;
    }

    @Test
    void retryThenDeadLetterSendsTheItemAfterTheLastTryWithTheTriesMade() {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        var tx = dead.sender();
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 6)
                                        .map("checked", this::failOnOdd)
                                        .onError(ErrorPolicy.retry(3, MS).thenDeadLetter(tx)))
                        .toList();
        tx.close();
        assertThat(out).containsExactly(0, 2, 4);
        List<DeadLetter<Integer>> letters = drain(dead.receiver());
        int sum = 0;
        for (DeadLetter<Integer> d : letters) {
            sum += d.item(); // an Integer, no cast
            assertThat(d.attempt()).isEqualTo(3);
            assertThat(d.stage()).isEqualTo("checked");
            assertThat(d.error()).isInstanceOf(IOException.class);
            assertThat(d.error().getSuppressed()).hasSize(2);
        }
        assertThat(sum).isEqualTo(1 + 3 + 5);
        assertThat(tries.get(1)).hasValue(3);
        assertThat(tries.get(2)).hasValue(1);
        threads.assertAllEnded();
    }

    @Test
    void retryThenDeadLetterSendsNothingWhenALaterTrySucceeds() {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        var tx = dead.sender();
        AtomicInteger calls = new AtomicInteger();
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 1)
                                        .map(ErrorPolicyTest.failingFirst(1, calls))
                                        .onError(ErrorPolicy.retry(3, MS).thenDeadLetter(tx)))
                        .toList();
        tx.close();
        assertThat(out).containsExactly(0);
        assertThat(drain(dead.receiver())).isEmpty();
        threads.assertAllEnded();
    }

    @Test
    void retryThenSkipDropsTheItemAfterTheLastTry() {
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 6)
                                        .map(this::failOnOdd)
                                        .onError(ErrorPolicy.retry(2, MS).thenSkip()))
                        .toList();
        assertThat(out).containsExactly(0, 2, 4);
        assertThat(tries.get(5)).hasValue(2);
        threads.assertAllEnded();
    }

    @Test
    void retryThenDeadLetterInAnOrderedParallelMapKeepsOrderAndCountsTries() {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        var tx = dead.sender();
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 40)
                                        .mapParallel("par", 4, this::failOnOdd)
                                        .onError(ErrorPolicy.retry(2, MS).thenDeadLetter(tx)))
                        .toList();
        tx.close();
        assertThat(out).hasSize(20).isSorted();
        List<DeadLetter<Integer>> letters = drain(dead.receiver());
        assertThat(letters).extracting(DeadLetter::item).containsExactlyInAnyOrder(odds(40));
        assertThat(letters).allSatisfy(d -> assertThat(d.attempt()).isEqualTo(2));
        threads.assertAllEnded();
    }

    private static Integer[] odds(int below) {
        List<Integer> odd = new ArrayList<>();
        for (int i = 1; i < below; i += 2) {
            odd.add(i);
        }
        return odd.toArray(new Integer[0]);
    }

    @Test
    void aDeadLetterHasTheStageInputTypeNotItsOutputType() {
        Channel<DeadLetter<String>> dead = Channel.unbounded();
        var tx = dead.sender();
        Pipeline<Integer> numbers =
                Pipeline.from(List.of("1", "x", "3"))
                        .map("parse", Integer::parseInt)
                        .capacity(4)
                        .onError(ErrorPolicy.deadLetter(tx))
                        .virtualThreads();
        assertThat(threads.watch(numbers).toList()).containsExactly(1, 3);
        tx.close();
        List<DeadLetter<String>> letters = drain(dead.receiver());
        assertThat(letters).hasSize(1);
        String bad = letters.get(0).item(); // a String, no cast
        assertThat(bad).isEqualTo("x");
        assertThat(letters.get(0).error()).isInstanceOf(NumberFormatException.class);
        threads.assertAllEnded();
    }

    @Test
    void aDeadLetterChannelOfASupertypeServesAnyStage() {
        Channel<DeadLetter<Object>> dead = Channel.unbounded();
        var tx = dead.sender();
        List<Integer> out =
                threads.watch(
                                Pipeline.range(0, 4)
                                        .filter(
                                                "odd fails",
                                                x -> {
                                                    if (x % 2 == 1) {
                                                        throw new IOException();
                                                    }
                                                    return true;
                                                })
                                        .onError(ErrorPolicy.<Object>deadLetter(tx)))
                        .toList();
        tx.close();
        assertThat(out).containsExactly(0, 2);
        assertThat(drain(dead.receiver())).extracting(DeadLetter::item).containsExactly(1, 3);
        threads.assertAllEnded();
    }

    @Test
    void forEachTakesItsPolicyAsAnArgument() {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded();
        var tx = dead.sender();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        threads.watch(Pipeline.range(0, 4))
                .forEach(
                        "store",
                        x -> seen.add(failOnOdd(x)),
                        ErrorPolicy.retry(2, MS).thenDeadLetter(tx));
        tx.close();
        assertThat(seen).containsExactly(0, 2);
        assertThat(drain(dead.receiver()))
                .extracting(DeadLetter::item, DeadLetter::stage, DeadLetter::attempt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "store", 2),
                        org.assertj.core.groups.Tuple.tuple(3, "store", 2));
        threads.assertAllEnded();
    }

    @Test
    void aComposedPolicyDescribesItself() {
        Channel<DeadLetter<Integer>> dead = Channel.unbounded("dead");
        assertThat(ErrorPolicy.retry(3, MS).thenDeadLetter(dead.sender()).toString())
                .isEqualTo("ErrorPolicy[retry(3, 1000000ns).thenDeadLetter(dead)]");
        assertThat(ErrorPolicy.retry(3, MS).thenSkip().toString())
                .isEqualTo("ErrorPolicy[retry(3, 1000000ns).thenSkip()]");
        assertThat(ErrorPolicy.deadLetter(dead.sender()).toString())
                .isEqualTo("ErrorPolicy[deadLetter(dead)]");
        assertThat(ErrorPolicy.retry(1, MS).toString())
                .isEqualTo("ErrorPolicy[retry(1, 1000000ns)]");
    }
}
