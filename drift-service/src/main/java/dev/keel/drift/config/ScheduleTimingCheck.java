package dev.keel.drift.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Stops the service at startup when a round's claim would lapse between two renewals: the replica running
 * a round renews it every {@code keel.drift.schedule.heartbeat}, so a heartbeat not under
 * {@code keel.drift.schedule.lease} lets another replica take over a round that is still running.
 */
@Startup
@ApplicationScoped
public class ScheduleTimingCheck {

    public ScheduleTimingCheck(DriftConfig config) {
        check(config.schedule().lease(), config.schedule().heartbeat());
    }

    /** Rejects a heartbeat that is not under the lease, with a sentence naming both settings. */
    static void check(Duration lease, Duration heartbeat) {
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalStateException("KEEL_DRIFT_SCHEDULE_HEARTBEAT (keel.drift.schedule.heartbeat, " + heartbeat
                    + ") must be under KEEL_DRIFT_SCHEDULE_LEASE (keel.drift.schedule.lease, " + lease + "): the replica "
                    + "running a round renews its claim every heartbeat, so a claim that lasts no longer than that "
                    + "lapses between renewals and another replica takes over a round that is still running");
        }
    }
}
