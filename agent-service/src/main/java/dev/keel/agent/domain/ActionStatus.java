package dev.keel.agent.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an action is in its life: pending_approval → approved → running → succeeded | failed, or
 * pending_approval → rejected | expired; low risk starts at running; skipped covers dry-run,
 * cooldown and an open circuit breaker.
 */
public enum ActionStatus {
    PENDING_APPROVAL,
    APPROVED,
    REJECTED,
    EXPIRED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ActionStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
    }
}
