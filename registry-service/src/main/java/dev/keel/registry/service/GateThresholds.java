package dev.keel.registry.service;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.registry.domain.ModelMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks and combines deployment-gate thresholds: metric name to the least acceptable value, or
 * the greatest for an error metric ({@link ModelMetrics#isMaximum}).
 */
final class GateThresholds {

    private GateThresholds() {
    }

    /** 422 naming each threshold that is not a gateable metric, or not within [0, 1] (an error metric's: not a number of at least 0). */
    static Map<String, Double> validated(String field, Map<String, Double> thresholds) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String unknown : ModelMetrics.unknownMetrics(thresholds)) {
            errors.add(new Problem.FieldError(field + "." + unknown,
                    "not a metric the gate can check; use one of " + ModelMetrics.GATEABLE));
        }
        thresholds.forEach((metric, value) -> {
            if (ModelMetrics.isMaximum(metric)) {
                if (value == null || !Double.isFinite(value) || value < 0) {
                    errors.add(new Problem.FieldError(field + "." + metric, "must be a number of at least 0 (the largest error accepted)"));
                }
            } else if (value == null || value.isNaN() || value < 0 || value > 1) {
                errors.add(new Problem.FieldError(field + "." + metric, "must be a number from 0 to 1"));
            }
        });
        if (errors.size() == 1) {
            throw ProblemException.unprocessable(errors.get(0).field(), errors.get(0).field() + ": " + errors.get(0).message());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors.size() + " gate thresholds are invalid", errors);
        }
        return new TreeMap<>(thresholds);
    }

    /** The project's thresholds with the model's overrides applied, metric by metric. */
    static Map<String, Double> effective(Map<String, Double> project, Map<String, Double> model) {
        Map<String, Double> merged = new TreeMap<>();
        if (project != null) {
            merged.putAll(project);
        }
        if (model != null) {
            merged.putAll(model);
        }
        return merged;
    }
}
