package dev.keel.training.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What started a run: a person or CI ({@code manual}), the weekly schedule, or the remediation agent. */
public enum RunTrigger {
    MANUAL,
    SCHEDULE,
    AGENT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunTrigger fromWireName(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown trigger '" + value + "'; expected manual, schedule or agent"));
    }
}
