package dev.keel.registry.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.common.model.Objective;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A model's quality, as recorded at registration or measured by an evaluation. A classifier's:
 * accuracy, precision, recall, F1 and ROC-AUC (for a multi-class one, macro averages and ROC-AUC
 * one-vs-rest), and {@code confusion_matrix} with rows the true class and columns the predicted one
 * ({@code [[tn, fp], [fn, tp]]} for a binary classifier); {@code threshold} is the probability
 * cut-off a binary classifier's figures were computed at. A regression model's: {@code mae},
 * {@code rmse}, {@code r2}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetrics(
        @DecimalMin("0") @DecimalMax("1") Double accuracy,
        @DecimalMin("0") @DecimalMax("1") Double precision,
        @DecimalMin("0") @DecimalMax("1") Double recall,
        @DecimalMin("0") @DecimalMax("1") Double f1,
        @DecimalMin("0") @DecimalMax("1") Double rocAuc,
        List<List<Long>> confusionMatrix,
        @DecimalMin("0") @DecimalMax("1") Double threshold,
        @DecimalMin("0") Double mae,
        @DecimalMin("0") Double rmse,
        @DecimalMax("1") Double r2,
        @Schema(readOnly = true, description = "Set by the registry when these figures were measured by an evaluation "
                + "recorded with record=true; refused in an upload")
        EvaluationProvenance measuredByEvaluation) {

    /** Figures without provenance: as uploaded, or measured and not (yet) recorded. */
    public ModelMetrics(Double accuracy, Double precision, Double recall, Double f1, Double rocAuc,
                        List<List<Long>> confusionMatrix, Double threshold, Double mae, Double rmse, Double r2) {
        this(accuracy, precision, recall, f1, rocAuc, confusionMatrix, threshold, mae, rmse, r2, null);
    }

    /** The same figures, marked as measured by the evaluation {@code provenance} describes. */
    public ModelMetrics measuredBy(EvaluationProvenance provenance) {
        return new ModelMetrics(accuracy, precision, recall, f1, rocAuc, confusionMatrix, threshold, mae, rmse, r2,
                provenance);
    }

    /**
     * The metrics a deployment gate threshold may name, by their JSON names: each a minimum (higher
     * is better) except the errors in {@link #MAXIMA}.
     */
    public static final List<String> GATEABLE = List.of("accuracy", "precision", "recall", "f1", "roc_auc", "r2", "mae", "rmse");

    /** The gateable metrics whose threshold is a maximum: errors, where lower is better. */
    private static final Set<String> MAXIMA = Set.of("mae", "rmse");

    /** Whether a threshold on this gateable metric is the greatest acceptable value rather than the least. */
    public static boolean isMaximum(String metric) {
        return MAXIMA.contains(metric);
    }

    /**
     * Whether a gateable metric measures a model of this task: R², MAE and RMSE a regression model,
     * the others a classifier, {@code binary:logitraw} included (a binary classifier that answers
     * margins: its recorded figures are checked, Keel cannot evaluate it itself).
     */
    public static boolean appliesTo(String metric, Objective.Task task) {
        return "r2".equals(metric) || isMaximum(metric) ? task == Objective.Task.REGRESSION
                : task == Objective.Task.BINARY || task == Objective.Task.MULTICLASS || task == Objective.Task.MARGIN;
    }

    public static ModelMetrics none() {
        return new ModelMetrics(null, null, null, null, null, null, null, null, null, null);
    }

    /** A gateable metric by its JSON name; empty when it was not recorded. */
    public Optional<Double> byName(String name) {
        Double value = switch (name) {
            case "accuracy" -> accuracy;
            case "precision" -> precision;
            case "recall" -> recall;
            case "f1" -> f1;
            case "roc_auc" -> rocAuc;
            case "r2" -> r2;
            case "mae" -> mae;
            case "rmse" -> rmse;
            default -> null;
        };
        return Optional.ofNullable(value);
    }

    /**
     * Empty when {@code confusion_matrix} is absent or a square matrix (2×2 and up) of non-negative
     * counts; the problem otherwise.
     */
    public Optional<String> confusionMatrixProblem() {
        if (confusionMatrix == null) {
            return Optional.empty();
        }
        int k = confusionMatrix.size();
        if (k < 2 || confusionMatrix.stream().anyMatch(r -> r == null || r.size() != k)) {
            return Optional.of("must be a square matrix of counts, rows the true class and columns the predicted one "
                    + "([[tn, fp], [fn, tp]] for a binary classifier)");
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
