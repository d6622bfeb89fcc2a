package dev.keel.registry.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A binary classifier's quality, as recorded at registration or measured by an evaluation.
 * {@code confusion_matrix} is {@code [[tn, fp], [fn, tp]]}; {@code threshold} is the probability
 * cut-off the other figures were computed at.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetrics(
        @DecimalMin("0") @DecimalMax("1") Double accuracy,
        @DecimalMin("0") @DecimalMax("1") Double precision,
        @DecimalMin("0") @DecimalMax("1") Double recall,
        @DecimalMin("0") @DecimalMax("1") Double f1,
        @DecimalMin("0") @DecimalMax("1") Double rocAuc,
        List<List<Long>> confusionMatrix,
        @DecimalMin("0") @DecimalMax("1") Double threshold) {

    /** The metrics a deployment gate threshold may name, by their JSON names. */
    public static final List<String> GATEABLE = List.of("accuracy", "precision", "recall", "f1", "roc_auc");

    public static ModelMetrics none() {
        return new ModelMetrics(null, null, null, null, null, null, null);
    }

    /** A gateable metric by its JSON name; empty when it was not recorded. */
    public Optional<Double> byName(String name) {
        Double value = switch (name) {
            case "accuracy" -> accuracy;
            case "precision" -> precision;
            case "recall" -> recall;
            case "f1" -> f1;
            case "roc_auc" -> rocAuc;
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    /** Empty when {@code confusion_matrix} is absent or a 2×2 matrix of non-negative counts; the problem otherwise. */
    public Optional<String> confusionMatrixProblem() {
        if (confusionMatrix == null) {
            return Optional.empty();
        }
        if (confusionMatrix.size() != 2 || confusionMatrix.stream().anyMatch(r -> r == null || r.size() != 2)) {
            return Optional.of("must be [[tn, fp], [fn, tp]], a 2×2 matrix");
        }
        if (confusionMatrix.stream().flatMap(List::stream).anyMatch(v -> v == null || v < 0)) {
            return Optional.of("counts must be non-negative integers");
        }
        return Optional.empty();
    }

    /** Rejects thresholds on metrics the gate cannot check; returns the offending names. */
    public static List<String> unknownMetrics(Map<String, Double> thresholds) {
        return thresholds.keySet().stream().filter(k -> !GATEABLE.contains(k)).sorted().toList();
    }
}
