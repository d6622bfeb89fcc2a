package dev.keel.drift.service;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides when one /monitor window raises a data_drift alert, so that a caller posting every
 * request does not bump the alert and signal the agent on every call. A window raises when its
 * severity first reaches warning or critical, again at once when it worsens (warning to critical),
 * and otherwise at most once per interval while it stays drifted — the scheduled job's hourly
 * cadence. Falling back to none does not re-arm it: a window flapping around the warning threshold
 * raises once per interval, not once per crossing. A raise whose alert could not be stored still
 * counts: {@link MonitorService} keeps that alert and writes it later, so the window does not try again
 * call by call.
 */
final class MonitorAlertGate {

    private Severity raised = Severity.NONE;
    private Instant raisedAt;

    /** Whether the window raises now at {@code severity}; when it does, the raise is recorded as made. */
    synchronized boolean claim(Severity severity, Instant now, Duration interval) {
        if (severity == Severity.NONE) {
            return false;
        }
        boolean recent = raisedAt != null && now.isBefore(raisedAt.plus(interval));
        if (recent && severity.compareTo(raised) <= 0) {
            return false;
        }
        raised = severity;
        raisedAt = now;
        return true;
    }
}
