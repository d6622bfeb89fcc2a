package dev.keel.registry.api;

import java.time.Instant;
import java.util.Map;

public record ProjectView(String name, String description, Map<String, Double> gateThresholds, Instant createdAt) {
}
