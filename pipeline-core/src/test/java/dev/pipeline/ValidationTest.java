package dev.pipeline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Bad arguments fail when the blueprint is built, with messages that show the bad value. */
class ValidationTest {
    private final Pipeline<Integer> p = Pipeline.range(0, 10);

    @Test
    void nullFunctionsAreRejected() {
        assertThatThrownBy(() -> p.map(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.filter(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.flatMap(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.peek(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.takeWhile(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.scan(0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.mapParallel(2, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.through("x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Pipeline.generate(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Pipeline.from((Iterable<Integer>) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.map(x -> x).onError(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void workersBelowOneAreRejected() {
        assertThatThrownBy(() -> p.mapParallel(0, x -> x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workers must be >= 1 but was 0");
        assertThatThrownBy(() -> p.mapParallelUnordered(-1, x -> x))
                .hasMessage("workers must be >= 1 but was -1");
        assertThatThrownBy(() -> p.mapParallelByKey(0, x -> x, x -> x))
                .hasMessage("workers must be >= 1 but was 0");
        assertThatThrownBy(() -> p.partition(0, x -> x, b -> b))
                .hasMessage("partitions must be >= 1 but was 0");
    }

    @Test
    void negativeCapacityIsRejected() {
        assertThatThrownBy(() -> p.capacity(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be >= 0 but was -1");
    }

    @Test
    void batchSizeBelowOneIsRejected() {
        assertThatThrownBy(() -> p.batch(0)).hasMessage("size must be >= 1 but was 0");
        assertThatThrownBy(() -> p.batch(0, Duration.ofSeconds(1)))
                .hasMessage("size must be >= 1 but was 0");
    }

    @Test
    void nonPositiveDurationsAreRejected() {
        assertThatThrownBy(() -> p.batch(10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWait must be positive but was PT0S");
        assertThatThrownBy(() -> p.throttle(10, Duration.ofMillis(-5)))
                .hasMessage("per must be positive but was PT-0.005S");
        assertThatThrownBy(() -> p.throttle(0, Duration.ofMillis(5)))
                .hasMessage("permits must be >= 1 but was 0");
        assertThatThrownBy(() -> ErrorPolicy.retry(3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorPolicy.retry(0, Duration.ofMillis(1)))
                .hasMessage("maxAttempts must be >= 1 but was 0");
    }

    @Test
    void negativeTakeAndDropAreRejected() {
        assertThatThrownBy(() -> p.take(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be >= 0 but was -1");
        assertThatThrownBy(() -> p.drop(-3)).hasMessage("n must be >= 0 but was -3");
    }

    @Test
    void emptyMergeAndBroadcastAreRejected() {
        assertThatThrownBy(() -> Pipeline.merge(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                p.broadcast(
                                        List.<Function<Pipeline<Integer>, Pipeline<Integer>>>of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBranchNotBuiltFromItsInputIsRejected() {
        assertThatThrownBy(
                        () ->
                                p.broadcast(
                                        List.<Function<Pipeline<Integer>, Pipeline<Integer>>>of(
                                                b -> Pipeline.range(0, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be built from the pipeline it is given");
    }

    @Test
    void blankNamesAreRejected() {
        assertThatThrownBy(() -> p.map(" ", x -> x)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.named(null)).isInstanceOf(NullPointerException.class);
    }
}
