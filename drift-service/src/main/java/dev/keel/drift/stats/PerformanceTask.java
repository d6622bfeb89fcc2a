package dev.keel.drift.stats;

import dev.keel.common.model.Objective;

/**
 * What a model version predicts, as performance monitoring must score it, from the XGBoost
 * objective the registry recorded ({@code params.objective}):
 * <ul>
 *   <li>{@link #BINARY}: a probability of the positive class, prediction 1 or 0 by the decision
 *       threshold ({@code binary:logistic}, {@code reg:logistic}); also a version with no objective
 *       recorded, as Keel's own training registers binary classifiers;</li>
 *   <li>{@link #MULTICLASS}: the winning class's index ({@code multi:softprob}, {@code multi:softmax});</li>
 *   <li>{@link #REGRESSION}: a value ({@code reg:squarederror}, {@code count:poisson}, {@code reg:gamma} …);</li>
 *   <li>{@link #MARGIN}: a raw logit ({@code binary:logitraw}), which no label can be compared with.</li>
 * </ul>
 */
public enum PerformanceTask {
    BINARY, MULTICLASS, REGRESSION, MARGIN;

    public static PerformanceTask of(String objective) {
        if (objective == null) {
            return BINARY;
        }
        return Objective.byXgboostName(objective).map(PerformanceTask::of).orElse(BINARY);
    }

    private static PerformanceTask of(Objective o) {
        if (o.isBinaryProbability()) {
            return BINARY;
        }
        return switch (o) {
            case MULTI_SOFTPROB, MULTI_SOFTMAX -> MULTICLASS;
            case BINARY_LOGITRAW -> MARGIN;
            default -> REGRESSION;
        };
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
