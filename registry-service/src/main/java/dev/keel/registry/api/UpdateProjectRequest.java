package dev.keel.registry.api;

import jakarta.validation.constraints.Size;
import java.util.Map;

/** Absent fields stay as they are. */
public record UpdateProjectRequest(@Size(max = 2000) String description, Map<String, Double> gateThresholds) {
}
