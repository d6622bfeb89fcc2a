package dev.keel.drift.service;

import com.fasterxml.jackson.annotation.JsonValue;

/** The seed's three levels of a drift score against the warning and critical thresholds. */
public enum Severity {
    NONE,
    WARNING,
    CRITICAL;

    public static Severity of(double score, double warning, double critical) {
        if (score >= critical) {
            return CRITICAL;
        }
        return score >= warning ? WARNING : NONE;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
