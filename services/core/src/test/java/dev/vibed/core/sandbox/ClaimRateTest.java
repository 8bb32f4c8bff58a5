package dev.vibed.core.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm pool's target: claim rate times start time, on top of the floor, under the ceiling. */
class ClaimRateTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final Duration HALF_SECOND = Duration.ofMillis(500);

    @Test
    void aQuietTemplateKeepsTheFloor() {
        ClaimRate rate = new ClaimRate(1, 8, Duration.ofSeconds(5));
        assertThat(rate.target(0, HALF_SECOND)).isEqualTo(1);
        rate.claimed(0);
        // one claim in 5 s while a start takes 0.5 s: 0.1 claims arrive per start, so one more is kept
        assertThat(rate.target(SECOND, HALF_SECOND)).isEqualTo(2);
        assertThat(rate.target(10 * SECOND, HALF_SECOND)).isEqualTo(1);
    }

    @Test
    void aBurstRaisesTheTargetUpToTheCeiling() {
        ClaimRate rate = new ClaimRate(1, 8, Duration.ofSeconds(5));
        for (int i = 0; i < 20; i++) {
            rate.claimed(SECOND);
        }
        // 4 claims per second, 0.5 s per start: 2 more than the floor
        assertThat(rate.target(SECOND, HALF_SECOND)).isEqualTo(3);
        // slower starts need more ahead, up to the ceiling
        assertThat(rate.target(SECOND, Duration.ofSeconds(5))).isEqualTo(8);
    }

    @Test
    void aCeilingBelowTheFloorKeepsTheFloor() {
        ClaimRate rate = new ClaimRate(2, 1, Duration.ofSeconds(5));
        rate.claimed(0);
        assertThat(rate.target(0, HALF_SECOND)).isEqualTo(2);
    }

    @Test
    void theRuleCountsClaimsInAWindowTheSameWay() {
        // the controller's way in: 20 claims counted in a 5 s window, 0.5 s per start, as in the burst above
        assertThat(ClaimRate.target(1, 8, 20, Duration.ofSeconds(5), HALF_SECOND)).isEqualTo(3);
        assertThat(ClaimRate.target(1, 8, 0, Duration.ofSeconds(5), HALF_SECOND)).isEqualTo(1);
        assertThat(ClaimRate.target(1, 4, 100, Duration.ofSeconds(5), HALF_SECOND)).isEqualTo(4);
    }
}
