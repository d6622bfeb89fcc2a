package dev.keel.registry.api;

import dev.keel.registry.domain.ModelMetrics;

/** A version's quality on labelled data the caller uploaded; {@code metrics.threshold} is the cut-off used. */
public record EvaluationView(String model, int version, String target, int rows, int positives, ModelMetrics metrics) {
}
