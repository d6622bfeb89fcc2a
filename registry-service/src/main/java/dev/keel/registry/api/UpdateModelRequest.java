package dev.keel.registry.api;

import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Absent fields stay as they are. {@code gate_thresholds} overrides the project's thresholds metric
 * by metric (admin only); an empty object removes the overrides. {@code retrain_cron} and
 * {@code retrain_source} set when and from what the model is retrained; an empty string goes back to
 * training's default (Sundays 02:00 UTC; {@code auto}).
 */
public record UpdateModelRequest(@Size(max = 2000) String description, Map<String, String> tags,
                                 Map<String, Double> gateThresholds, @Size(max = 200) String retrainCron,
                                 @Size(max = 100) String retrainSource) {
}
