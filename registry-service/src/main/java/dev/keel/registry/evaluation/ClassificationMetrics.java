package dev.keel.registry.evaluation;

import dev.keel.common.stats.BinaryMetrics;
import dev.keel.registry.domain.ModelMetrics;

/** The registry's view of common's {@link BinaryMetrics}: rounded to six decimals, as versions record them. */
public final class ClassificationMetrics {

    private ClassificationMetrics() {
    }

    /**
     * Counts a prediction as positive when {@code probability >= threshold}. ROC-AUC is the
     * Mann-Whitney statistic with ties counted half, and null when only one class is present
     * (it is undefined then). Precision, recall and F1 are 0 where their denominator is.
     */
    public static ModelMetrics compute(float[] probabilities, boolean[] labels, double threshold) {
        BinaryMetrics m = BinaryMetrics.of(probabilities, labels, threshold);
        return new ModelMetrics(round(m.accuracy()), round(m.precision()), round(m.recall()), round(m.f1()),
                m.rocAuc() == null ? null : round(m.rocAuc()), m.confusionMatrix(), threshold);
    }

    static Double rocAuc(float[] probabilities, boolean[] labels) {
        Double auc = BinaryMetrics.rocAuc(probabilities, labels);
        return auc == null ? null : round(auc);
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
