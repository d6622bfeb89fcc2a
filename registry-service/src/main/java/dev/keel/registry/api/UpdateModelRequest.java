package dev.keel.registry.api;

import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Absent fields stay as they are. {@code gate_thresholds} overrides the project's thresholds metric
 * by metric (admin only); an empty object removes the overrides.
 */
public record UpdateModelRequest(@Size(max = 2000) String description, Map<String, String> tags,
                                 Map<String, Double> gateThresholds) {
}
