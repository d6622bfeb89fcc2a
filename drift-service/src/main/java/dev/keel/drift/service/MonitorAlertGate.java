package dev.keel.drift.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides when one /monitor window raises a data_drift alert, so that a caller posting every
 * request does not bump the alert and signal the agent on every call. A window raises when its
 * severity first reaches warning or critical, again at once when it worsens (warning to critical),
 * and otherwise at most once per interval while it stays drifted — the scheduled job's hourly
 * cadence. Falling back to none does not re-arm it: a window flapping around the warning threshold
 * raises once per interval, not once per crossing.
 */
final class MonitorAlertGate {

    /** A raise this window may now make; given back through {@link #release} when it failed. */
    record Claim(Severity severity, Instant at, Severity previous, Instant previousAt) {
    }

    private Severity raised = Severity.NONE;
    private Instant raisedAt;

    synchronized Optional<Claim> claim(Severity severity, Instant now, Duration interval) {
        if (severity == Severity.NONE) {
            return Optional.empty();
        }
        boolean recent = raisedAt != null && now.isBefore(raisedAt.plus(interval));
        if (recent && severity.compareTo(raised) <= 0) {
            return Optional.empty();
        }
        Claim claim = new Claim(severity, now, raised, raisedAt);
        raised = severity;
        raisedAt = now;
        return Optional.of(claim);
    }

    /** Undoes a claim whose alert could not be stored, so the window's next drifted answer tries again. */
    synchronized void release(Claim claim) {
        if (raised == claim.severity() && claim.at().equals(raisedAt)) {
            raised = claim.previous();
            raisedAt = claim.previousAt();
        }
    }
}
