package dev.keel.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How far apart the replicas' periodic checks are kept, from the interval as Quarkus' scheduler reads it. */
class PeriodicCheckSpacingTest {

    @Test
    void theSpacingIsFourFifthsOfTheCheckInterval() {
        assertThat(PeriodicCheck.spacing("5m")).isEqualTo(Duration.ofMinutes(4));
        assertThat(PeriodicCheck.spacing(" 10S ")).isEqualTo(Duration.ofSeconds(8));
        assertThat(PeriodicCheck.spacing("PT1H")).isEqualTo(Duration.ofMinutes(48));
    }

    @Test
    void anIntervalDurationCannotReadLeavesTheLeaseAlone() {
        assertThat(PeriodicCheck.spacing("1d")).isZero();
        assertThat(PeriodicCheck.spacing("${custom}")).isZero();
    }
}
