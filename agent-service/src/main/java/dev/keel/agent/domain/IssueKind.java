package dev.keel.agent.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The five problems the agent diagnoses. */
public enum IssueKind {
    DATA_DRIFT,
    PERFORMANCE_DEGRADATION,
    PREDICTION_ANOMALY,
    LOW_CONFIDENCE,
    DATA_QUALITY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IssueKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
    }

    @JsonCreator
    static IssueKind json(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown issue kind '" + name
                + "'; one of data_drift, performance_degradation, prediction_anomaly, low_confidence, data_quality"));
    }
}
