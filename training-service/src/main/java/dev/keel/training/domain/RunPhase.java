package dev.keel.training.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The step a run is on, shown as its progress. */
public enum RunPhase {
    QUEUED,
    /** reading and encoding the dataset, splitting it, computing the baseline statistics */
    LOADING,
    /** cross-validating the candidates */
    SEARCHING,
    /** refitting the best candidate on all training rows and scoring the test rows */
    FITTING,
    /** sending the model to the registry */
    REGISTERING,
    /** the quality gate and the comparison with the production version */
    GATING,
    FINISHED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
