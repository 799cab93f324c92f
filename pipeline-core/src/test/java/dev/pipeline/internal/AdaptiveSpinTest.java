package dev.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The spin phase of virtual-thread waiters ({@link ChannelCore#adaptedSpins}): it shrinks while
 * waits end parked, never below the probe, and grows back to the full phase once spins succeed
 * again. (That channels stay correct whatever the phase is the business of the stress and
 * contract tests, which run virtual threads through every wait path.)
 */
@Timeout(60)
class AdaptiveSpinTest {

    @Test
    void theDefaultsLeaveRoomToAdapt() {
        assertThat(ChannelCore.VIRTUAL_SPINS).isGreaterThan(ChannelCore.MIN_VIRTUAL_SPINS);
        assertThat(ChannelCore.MIN_VIRTUAL_SPINS).isPositive();
    }

    @Test
    void parkedWaitsHalveThePhaseDownToTheProbe() {
        int spins = ChannelCore.VIRTUAL_SPINS;
        int previous = spins;
        for (int i = 0; i < 64; i++) {
            spins = ChannelCore.adaptedSpins(spins, true);
            assertThat(spins).isLessThanOrEqualTo(previous);
            assertThat(spins).isGreaterThanOrEqualTo(ChannelCore.MIN_VIRTUAL_SPINS);
            previous = spins;
        }
        assertThat(spins).isEqualTo(ChannelCore.MIN_VIRTUAL_SPINS);
    }

    @Test
    void successfulSpinsGrowThePhaseBackToTheFullOne() {
        int spins = ChannelCore.MIN_VIRTUAL_SPINS;
        int steps = 0;
        while (spins < ChannelCore.VIRTUAL_SPINS) {
            int next = ChannelCore.adaptedSpins(spins, false);
            assertThat(next).isGreaterThan(spins);
            spins = next;
            steps++;
        }
        assertThat(spins).isEqualTo(ChannelCore.VIRTUAL_SPINS);
        assertThat(steps).as("waits to recover the full phase").isLessThanOrEqualTo(8);
        assertThat(ChannelCore.adaptedSpins(spins, false)).isEqualTo(ChannelCore.VIRTUAL_SPINS);
    }
}
