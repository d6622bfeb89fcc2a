package dev.keel.drift.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The startup check of the rounds' claim: a heartbeat must come before the lease it renews lapses. */
class ScheduleTimingCheckTest {

    @Test
    void aHeartbeatUnderTheLeaseIsAccepted() {
        assertThatCode(() -> ScheduleTimingCheck.check(Duration.ofMinutes(2), Duration.ofSeconds(30))).doesNotThrowAnyException();
    }

    @Test
    void aHeartbeatAsLongAsTheLeaseOrLongerStopsTheServiceNamingBoth() {
        for (Duration heartbeat : new Duration[] {Duration.ofMinutes(2), Duration.ofMinutes(5)}) {
            assertThatThrownBy(() -> ScheduleTimingCheck.check(Duration.ofMinutes(2), heartbeat))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("KEEL_DRIFT_SCHEDULE_HEARTBEAT (keel.drift.schedule.heartbeat, " + heartbeat + ")")
                    .hasMessageContaining("must be under KEEL_DRIFT_SCHEDULE_LEASE (keel.drift.schedule.lease, PT2M)");
        }
    }
}
