package dev.pipeline.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicySpecTest {
    @Test
    void backoffDoublesUntilItSaturates() {
        assertThat(PolicySpec.nextBackoff(1)).isEqualTo(2);
        assertThat(PolicySpec.nextBackoff(Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(PolicySpec.nextBackoff(Long.MAX_VALUE / 2 + 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(PolicySpec.nextBackoff(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sixtyFourDoublingsOfOneNanosecondNeverOverflow() {
        long b = 1;
        for (int i = 0; i < 64; i++) {
            b = PolicySpec.nextBackoff(b);
            assertThat(b).isPositive();
        }
        assertThat(b).isEqualTo(Long.MAX_VALUE);
    }
}
