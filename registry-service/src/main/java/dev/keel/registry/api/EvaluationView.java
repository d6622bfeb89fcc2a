package dev.keel.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.registry.domain.ModelMetrics;
import java.util.List;

/**
 * A version's quality on labelled data the caller uploaded. {@code task} says which metrics apply
 * (binary, multiclass, regression); {@code positives} counts a binary classifier's positive labels,
 * {@code classes} names a multi-class one's confusion-matrix rows and columns; {@code
 * metrics.threshold} is a binary classifier's cut-off.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationView(String model, int version, String task, String target, int rows, Integer positives,
                             List<Integer> classes, ModelMetrics metrics) {
}
