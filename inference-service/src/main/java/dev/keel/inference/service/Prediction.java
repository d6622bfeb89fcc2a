package dev.keel.inference.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One row's answer. {@code probability} is the positive class's for binary models;
 * {@code probabilities} are per class for multi-class ones. Only when asked for: {@code contributions}
 * (SHAP, with {@code bias}, summing to the margin; for a multi-class model the predicted class's)
 * and, for a multi-class model, {@code classContributions}, one such map per class in class order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(
        UUID requestId,
        double prediction,
        Double probability,
        float[] probabilities,
        Map<String, Double> contributions,
        List<Map<String, Double>> classContributions) {
}
