package dev.keel.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.registry.domain.ModelMetrics;
import java.util.List;

/**
 * A version's quality on labelled data the caller uploaded. {@code task} says which metrics apply
 * (binary, multiclass, regression); {@code positives} counts a binary classifier's positive labels,
 * {@code classes} names a multi-class one's confusion-matrix rows and columns; {@code
 * metrics.threshold} is a binary classifier's cut-off. {@code recorded} only answers
 * {@code record=true}: true when these metrics became the version's recorded ones, false when the
 * same data had been recorded before and nothing changed ({@code metrics.measured_by_evaluation}
 * then names that earlier recording).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationView(String model, int version, String task, String target, int rows, Integer positives,
                             List<Integer> classes, ModelMetrics metrics, Boolean recorded) {

    public EvaluationView(String model, int version, String task, String target, int rows, Integer positives,
                          List<Integer> classes, ModelMetrics metrics) {
        this(model, version, task, target, rows, positives, classes, metrics, null);
    }

    /** This evaluation as recorded: with the version's metrics as stored, and whether this call stored them. */
    public EvaluationView recorded(ModelMetrics stored, boolean changed) {
        return new EvaluationView(model, version, task, target, rows, positives, classes, stored, changed);
    }
}
