package dev.keel.agent.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An action's risk: low runs at once, medium and high wait for a human. */
public enum Risk {
    LOW,
    MEDIUM,
    HIGH;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsApproval() {
        return this != LOW;
    }
}
