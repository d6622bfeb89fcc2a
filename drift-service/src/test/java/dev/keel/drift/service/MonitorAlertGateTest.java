package dev.keel.drift.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a /monitor window may raise: first drift, a worse severity, or the interval passed. */
class MonitorAlertGateTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final MonitorAlertGate gate = new MonitorAlertGate();

    @Test
    void noSeverityNeverRaises() {
        assertThat(gate.claim(Severity.NONE, T0, HOUR)).isFalse();
        assertThat(gate.claim(Severity.WARNING, T0, HOUR)).as("and does not use up the first raise").isTrue();
    }

    @Test
    void theFirstDriftRaisesAndTheSameSeverityNotAgainWithinTheInterval() {
        assertThat(gate.claim(Severity.WARNING, T0, HOUR)).isTrue();
        assertThat(gate.claim(Severity.WARNING, T0.plusSeconds(1), HOUR)).isFalse();
        assertThat(gate.claim(Severity.WARNING, T0.plus(HOUR).minusMillis(1), HOUR)).isFalse();
        assertThat(gate.claim(Severity.WARNING, T0.plus(HOUR), HOUR)).as("drift still there an interval later").isTrue();
    }

    @Test
    void aWorseSeverityRaisesAtOnceAndABetterOneDoesNot() {
        assertThat(gate.claim(Severity.WARNING, T0, HOUR)).isTrue();
        assertThat(gate.claim(Severity.CRITICAL, T0.plusSeconds(1), HOUR)).isTrue();
        assertThat(gate.claim(Severity.WARNING, T0.plusSeconds(2), HOUR)).isFalse();
        assertThat(gate.claim(Severity.CRITICAL, T0.plusSeconds(3), HOUR)).isFalse();
    }

    @Test
    void flappingAroundTheWarningThresholdRaisesOncePerInterval() {
        assertThat(gate.claim(Severity.WARNING, T0, HOUR)).isTrue();
        assertThat(gate.claim(Severity.NONE, T0.plusSeconds(1), HOUR)).isFalse();
        assertThat(gate.claim(Severity.WARNING, T0.plusSeconds(2), HOUR)).isFalse();
    }
}
