package dev.keel.training.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.keel.training.data.ColumnSpec;
import java.util.List;
import java.util.Map;

/**
 * The model's current production version, as far as the champion/challenger comparison needs it.
 *
 * @param decisionThreshold the probability cut-off it predicts with; null when the registry has none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductionVersion(String model, int version, Map<String, Object> metrics, List<ColumnSpec> featureSchema,
                                Double decisionThreshold) {

    /** The threshold to score this version at: its own, or the one recorded in its metrics, or 0.5. */
    public double threshold() {
        if (decisionThreshold != null) {
            return decisionThreshold;
        }
        if (metrics != null && metrics.get("threshold") instanceof Number n) {
            return n.doubleValue();
        }
        return 0.5;
    }
}
