package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.Channel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

class OperatorsTest {
    private final Threads threads = new Threads();

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void rangeMapToList() {
        List<Long> squares =
                threads.watch(Pipeline.range(0, 20).map("square", x -> (long) x * x)).toList();
        assertThat(squares).isEqualTo(IntStream.range(0, 20).mapToObj(x -> (long) x * x).toList());
        threads.assertAllEnded();
    }

    @Test
    void longRangeCounts() {
        assertThat(threads.watch(Pipeline.range(5L, 100_005L)).count()).isEqualTo(100_000L);
        threads.assertAllEnded();
    }

    @Test
    void emptyRangeGivesNothing() {
        assertThat(threads.watch(Pipeline.range(5, 5)).toList()).isEmpty();
        threads.assertAllEnded();
    }

    @Test
    void generateSendsWhatTheBodySends() {
        Pipeline<String> p =
                Pipeline.generate(
                        "words",
                        out -> {
                            out.send("a");
                            out.send("b");
                        });
        assertThat(threads.watch(p).toList()).containsExactly("a", "b");
        threads.assertAllEnded();
    }

    @Test
    void fromIterableIsReusable() {
        Pipeline<Integer> p = threads.watch(Pipeline.from(List.of(1, 2, 3)).map(x -> x * 10));
        assertThat(p.toList()).containsExactly(10, 20, 30);
        assertThat(p.toList()).containsExactly(10, 20, 30);
        threads.assertAllEnded();
    }

    @Test
    void fromStreamAsksForAFreshStreamPerRun() {
        Pipeline<Integer> p = threads.watch(Pipeline.fromStream(() -> Stream.of(1, 2, 3)));
        assertThat(p.toList()).containsExactly(1, 2, 3);
        assertThat(p.reduce(0, Integer::sum)).isEqualTo(6);
        threads.assertAllEnded();
    }

    @Test
    void fromIteratorAsksForAFreshIteratorPerRun() {
        Pipeline<Integer> p = threads.watch(Pipeline.fromIterator(() -> List.of(4, 5).iterator()));
        assertThat(p.toList()).containsExactly(4, 5);
        assertThat(p.toList()).containsExactly(4, 5);
        threads.assertAllEnded();
    }

    @Test
    void fromReceiverDrainsTheChannelAndClosesTheReceiver() throws Exception {
        Channel<Integer> ch = Channel.bounded(10);
        var tx = ch.sender();
        var rx = ch.receiver();
        for (int i = 0; i < 5; i++) {
            tx.send(i);
        }
        tx.close();
        assertThat(threads.watch(Pipeline.from(rx)).toList()).containsExactly(0, 1, 2, 3, 4);
        assertThat(rx.isClosed()).isTrue();
        threads.assertAllEnded();
    }

    @Test
    void mergeInterleavesEverySourceKeepingEachOrder() {
        Pipeline<Integer> a = Pipeline.range(0, 1000);
        Pipeline<Integer> b = Pipeline.range(1000, 2000);
        List<Integer> all = threads.watch(Pipeline.merge(a, b)).toList();
        assertThat(all).containsExactlyInAnyOrderElementsOf(upTo(2000));
        assertThat(all.stream().filter(x -> x < 1000).toList()).isSorted();
        assertThat(all.stream().filter(x -> x >= 1000).toList()).isSorted();
        threads.assertAllEnded();
    }

    @Test
    void filterKeepsMatchingItems() {
        assertThat(threads.watch(Pipeline.range(0, 10).filter(x -> x % 2 == 0)).toList())
                .containsExactly(0, 2, 4, 6, 8);
        threads.assertAllEnded();
    }

    @Test
    void flatMapExpandsInOrder() {
        assertThat(threads.watch(Pipeline.range(0, 3).flatMap(x -> List.of(x, x))).toList())
                .containsExactly(0, 0, 1, 1, 2, 2);
        threads.assertAllEnded();
    }

    @Test
    void peekSeesEveryItem() {
        List<Integer> seen = new ArrayList<>();
        assertThat(threads.watch(Pipeline.range(0, 5).peek(seen::add)).toList())
                .containsExactly(0, 1, 2, 3, 4);
        assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        threads.assertAllEnded();
    }

    @Test
    void takePassesTheFirstItems() {
        assertThat(threads.watch(Pipeline.range(0, 100).take(3)).toList()).containsExactly(0, 1, 2);
        threads.assertAllEnded();
    }

    @Test
    void takeZeroGivesNothing() {
        assertThat(threads.watch(Pipeline.range(0, 100).take(0)).toList()).isEmpty();
        threads.assertAllEnded();
    }

    @Test
    void takeWhileStopsAtTheFirstFailingItem() {
        assertThat(threads.watch(Pipeline.range(0, 100).takeWhile(x -> x < 4)).toList())
                .containsExactly(0, 1, 2, 3);
        threads.assertAllEnded();
    }

    @Test
    void dropSkipsTheFirstItems() {
        assertThat(threads.watch(Pipeline.range(0, 6).drop(4)).toList()).containsExactly(4, 5);
        threads.assertAllEnded();
    }

    @Test
    void scanEmitsEachRunningValue() {
        assertThat(threads.watch(Pipeline.range(1, 5).scan(0, Integer::sum)).toList())
                .containsExactly(1, 3, 6, 10);
        threads.assertAllEnded();
    }

    @Test
    void distinctDropsRepeats() {
        assertThat(threads.watch(Pipeline.from(List.of(1, 2, 1, 3, 2))).distinct().toList())
                .containsExactly(1, 2, 3);
        threads.assertAllEnded();
    }

    @Test
    void batchGroupsAndKeepsTheLastPartialBatch() {
        assertThat(threads.watch(Pipeline.range(0, 7).batch(3)).toList())
                .containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6));
        threads.assertAllEnded();
    }

    @Test
    void batchWithMaxWaitKeepsEveryItemInOrder() {
        List<List<Integer>> batches =
                threads.watch(Pipeline.range(0, 10_000).batch(100, Duration.ofSeconds(5))).toList();
        assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(100));
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(upTo(10_000));
        threads.assertAllEnded();
    }

    @Test
    void throughRunsACustomLoop() {
        Pipeline<String> p =
                Pipeline.range(0, 3)
                        .through(
                                "pairs",
                                (in, out) -> {
                                    for (Integer a : in) {
                                        out.send(a + "," + a);
                                    }
                                });
        assertThat(threads.watch(p).toList()).containsExactly("0,0", "1,1", "2,2");
        threads.assertAllEnded();
    }

    @Test
    void collectUsesTheCollector() {
        assertThat(
                        threads.watch(Pipeline.range(0, 5))
                                .collect(Collectors.mapping(String::valueOf, Collectors.joining())))
                .isEqualTo("01234");
        threads.assertAllEnded();
    }

    @Test
    void reduceWithoutIdentityIsEmptyForNoItems() {
        assertThat(threads.watch(Pipeline.range(0, 0)).reduce(Integer::sum)).isEmpty();
        assertThat(threads.watch(Pipeline.range(0, 4)).reduce(Integer::sum)).contains(6);
        threads.assertAllEnded();
    }

    @Test
    void forEachRunsOnEveryItem() {
        List<Integer> seen = new ArrayList<>();
        threads.watch(Pipeline.range(0, 4)).forEach("sink", seen::add);
        assertThat(seen).containsExactly(0, 1, 2, 3);
        assertThat(threads.seen).anyMatch(t -> t.getName().equals("pipeline-sink"));
        threads.assertAllEnded();
    }

    @Test
    void intoSendsEveryItemAndClosesTheSender() {
        Channel<Integer> ch = Channel.bounded(100);
        var rx = ch.receiver();
        threads.watch(Pipeline.range(0, 50)).into(ch.sender());
        List<Integer> got = new ArrayList<>();
        for (Integer x : rx) {
            got.add(x);
        }
        assertThat(got).isEqualTo(upTo(50));
        threads.assertAllEnded();
    }

    @Test
    void startCollectsInTheBackground() throws Exception {
        PipelineRun<List<Integer>> run =
                threads.watch(Pipeline.range(0, 10)).start(Collectors.toList());
        assertThat(run.await()).isEqualTo(upTo(10));
        assertThat(run.isDone()).isTrue();
        threads.assertAllEnded();
    }

    @Test
    void startWithoutCollectorDiscards() throws Exception {
        PipelineRun<Void> run = threads.watch(Pipeline.range(0, 10)).start();
        assertThat(run.await()).isNull();
        threads.assertAllEnded();
    }

    @Test
    void broadcastSendsEveryItemToEveryBranch() {
        List<Function<Pipeline<Integer>, Pipeline<String>>> branches =
                List.of(p -> p.map(x -> "a" + x), p -> p.map(x -> "b" + x));
        List<String> out = threads.watch(Pipeline.range(0, 3).broadcast(branches)).toList();
        assertThat(out).containsExactlyInAnyOrder("a0", "a1", "a2", "b0", "b1", "b2");
        threads.assertAllEnded();
    }

    @Test
    void broadcastKeepsGoingWhenOneBranchStopsEarly() {
        List<Function<Pipeline<Integer>, Pipeline<Integer>>> branches =
                List.of(p -> p.take(2), p -> p.map(x -> x + 1000));
        List<Integer> out = threads.watch(Pipeline.range(0, 500).broadcast(branches)).toList();
        assertThat(out).hasSize(502).contains(0, 1, 1000, 1499);
        threads.assertAllEnded();
    }

    @Test
    void partitionSendsEqualKeysToTheSameBranchInOrder() {
        List<String> out =
                threads.watch(
                                Pipeline.range(0, 3000)
                                        .partition(
                                                4,
                                                x -> x % 10,
                                                p ->
                                                        p.map(
                                                                x ->
                                                                        Thread.currentThread()
                                                                                        .getName()
                                                                                + ":"
                                                                                + x)))
                        .toList();
        assertThat(out).hasSize(3000);
        // per key: one thread, increasing order
        for (int k = 0; k < 10; k++) {
            int key = k;
            List<String> ofKey =
                    out.stream()
                            .filter(s -> Integer.parseInt(s.split(":")[1]) % 10 == key)
                            .toList();
            assertThat(ofKey.stream().map(s -> s.split(":")[0]).distinct()).hasSize(1);
            assertThat(ofKey.stream().map(s -> Integer.parseInt(s.split(":")[1])).toList())
                    .isSorted();
        }
        threads.assertAllEnded();
    }

    @Test
    void capacityZeroMakesARendezvousEdge() {
        assertThat(threads.watch(Pipeline.range(0, 100).capacity(0).map(x -> x + 1)).count())
                .isEqualTo(100);
        threads.assertAllEnded();
    }

    @Test
    void iteratorSourceCanBeLazyAndInfiniteWithTake() {
        Pipeline<Integer> naturals =
                Pipeline.fromIterator(
                        () ->
                                new Iterator<Integer>() {
                                    int i;

                                    @Override
                                    public boolean hasNext() {
                                        return true;
                                    }

                                    @Override
                                    public Integer next() {
                                        return i++;
                                    }
                                });
        assertThat(threads.watch(naturals.map(x -> x * 2).take(5)).toList())
                .containsExactly(0, 2, 4, 6, 8);
        threads.assertAllEnded();
    }
}
