package dev.keel.registry.api;

import java.time.Instant;
import java.util.Map;

/**
 * @param gateThresholds          the model's own overrides, null when it has none
 * @param effectiveGateThresholds what the gate applies: the project's, overridden by the model's
 * @param retrainCron             its own retraining cron, null for training's default
 * @param retrainSource           where its retraining takes its data ({@code auto} unless set)
 */
public record ModelView(String name, String project, String description, Map<String, String> tags,
                        Map<String, Double> gateThresholds, Map<String, Double> effectiveGateThresholds,
                        String retrainCron, String retrainSource,
                        Integer latestVersion, Integer productionVersion, Instant createdAt, Instant updatedAt) {
}
