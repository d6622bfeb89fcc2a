package dev.keel.registry.api;

import java.time.Instant;
import java.util.Map;

/**
 * @param gateThresholds          the model's own overrides, null when it has none
 * @param effectiveGateThresholds what the gate applies: the project's, overridden by the model's
 */
public record ModelView(String name, String project, String description, Map<String, String> tags,
                        Map<String, Double> gateThresholds, Map<String, Double> effectiveGateThresholds,
                        Integer latestVersion, Integer productionVersion, Instant createdAt, Instant updatedAt) {
}
