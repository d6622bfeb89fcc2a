package dev.keel.inference.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.UUID;

/**
 * One row's answer. {@code probability} is the positive class's for binary models;
 * {@code probabilities} are per class for multi-class ones; {@code contributions} (SHAP, with
 * {@code bias}) only when asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(
        UUID requestId,
        double prediction,
        Double probability,
        float[] probabilities,
        Map<String, Double> contributions) {
}
