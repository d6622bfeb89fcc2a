package dev.keel.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How KEEL_AGENT_SCHEDULE_CHECK_LEASE is checked when the service starts. */
class PeriodicCheckLeaseSettingTest {

    @Test
    void aLeaseUnderThreeSecondsStopsTheStartNamingTheVariable() {
        for (Duration tooShort : new Duration[] {Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(2999),
                Duration.ofSeconds(-5)}) {
            assertThatThrownBy(() -> PeriodicCheck.lease(tooShort)).as(tooShort.toString())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("KEEL_AGENT_SCHEDULE_CHECK_LEASE")
                    .hasMessageContaining("at least 3 seconds")
                    .hasMessageContaining("it is " + tooShort.toMillis() + " ms");
        }
    }

    @Test
    void aLeaseOfThreeSecondsOrMoreIsTaken() {
        assertThat(PeriodicCheck.lease(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(PeriodicCheck.lease(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(2));
    }
}
