package dev.pipeline.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The spin phase of virtual-thread waiters ({@link WaitPolicy#adapted}): it shrinks while
 * waits end parked, never below the probe, and grows back to the full phase once spins succeed
 * again. (That channels stay correct whatever the phase is the business of the stress and
 * contract tests, which run virtual threads through every wait path.)
 */
@Timeout(60)
class AdaptiveSpinTest {

    @Test
    void theDefaultsLeaveRoomToAdapt() {
        assertThat(WaitPolicy.VIRTUAL_SPINS).isGreaterThan(WaitPolicy.MIN_VIRTUAL_SPINS);
        assertThat(WaitPolicy.MIN_VIRTUAL_SPINS).isPositive();
    }

    @Test
    void parkedWaitsHalveThePhaseDownToTheProbe() {
        int spins = WaitPolicy.VIRTUAL_SPINS;
        int previous = spins;
        for (int i = 0; i < 64; i++) {
            spins = WaitPolicy.adapted(spins, true);
            assertThat(spins).isLessThanOrEqualTo(previous);
            assertThat(spins).isGreaterThanOrEqualTo(WaitPolicy.MIN_VIRTUAL_SPINS);
            previous = spins;
        }
        assertThat(spins).isEqualTo(WaitPolicy.MIN_VIRTUAL_SPINS);
    }

    @Test
    void successfulSpinsGrowThePhaseBackToTheFullOne() {
        int spins = WaitPolicy.MIN_VIRTUAL_SPINS;
        int steps = 0;
        while (spins < WaitPolicy.VIRTUAL_SPINS) {
            int next = WaitPolicy.adapted(spins, false);
            assertThat(next).isGreaterThan(spins);
            spins = next;
            steps++;
        }
        assertThat(spins).isEqualTo(WaitPolicy.VIRTUAL_SPINS);
        assertThat(steps).as("waits to recover the full phase").isLessThanOrEqualTo(8);
        assertThat(WaitPolicy.adapted(spins, false)).isEqualTo(WaitPolicy.VIRTUAL_SPINS);
    }
}
