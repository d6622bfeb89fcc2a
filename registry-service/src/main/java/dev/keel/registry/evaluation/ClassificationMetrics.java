package dev.keel.registry.evaluation;

import dev.keel.common.stats.BinaryMetrics;
import dev.keel.common.stats.ClassConfusion;
import dev.keel.registry.domain.ModelMetrics;

/**
 * The registry's view of common's {@link BinaryMetrics} and {@link ClassConfusion}, and regression
 * errors: rounded to six decimals, as versions record them.
 */
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
                m.rocAuc() == null ? null : round(m.rocAuc()), m.confusionMatrix(), threshold, null, null, null);
    }

    /**
     * A multi-class classifier's: accuracy, macro precision, recall and F1 over the classes predicted
     * or labelled (scikit-learn's {@code average="macro", zero_division=0}), the confusion matrix over
     * those classes, rows the true class ({@link ClassConfusion#classes()} order), and {@code rocAuc}
     * as given (null when the model gives no class probabilities).
     */
    public static ModelMetrics multiclass(ClassConfusion c, Double rocAuc) {
        return new ModelMetrics(round(c.accuracy()), round(c.macroPrecision()), round(c.macroRecall()), round(c.macroF1()),
                rocAuc == null ? null : round(rocAuc), c.matrix(), null, null, null, null);
    }

    /**
     * One-vs-rest ROC-AUC of each class from row-major class probabilities ({@code classes} per row),
     * averaged over the classes that have both positive and negative labels (scikit-learn's
     * {@code multi_class="ovr", average="macro"} where every class occurs); null when none has.
     */
    public static Double macroRocAuc(float[] probabilities, int classes, double[] labels) {
        int n = labels.length;
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < classes; k++) {
            float[] scores = new float[n];
            boolean[] positive = new boolean[n];
            for (int r = 0; r < n; r++) {
                scores[r] = probabilities[r * classes + k];
                positive[r] = labels[r] == k;
            }
            Double auc = BinaryMetrics.rocAuc(scores, positive);
            if (auc != null) {
                sum += auc;
                counted++;
            }
        }
        return counted == 0 ? null : sum / counted;
    }

    /**
     * A regression model's: mean absolute error, root mean squared error, and R² (1 − residual over
     * total sum of squares; null when every label is the same, where it is undefined).
     */
    public static ModelMetrics regression(float[] predictions, double[] labels) {
        int n = labels.length;
        double mean = 0;
        for (double y : labels) {
            mean += y / n;
        }
        double absolute = 0;
        double squared = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double e = predictions[i] - labels[i];
            absolute += Math.abs(e);
            squared += e * e;
            total += (labels[i] - mean) * (labels[i] - mean);
        }
        return new ModelMetrics(null, null, null, null, null, null, null, round(absolute / n), round(Math.sqrt(squared / n)),
                total > 0 ? round(1 - squared / total) : null);
    }

    static Double rocAuc(float[] probabilities, boolean[] labels) {
        Double auc = BinaryMetrics.rocAuc(probabilities, labels);
        return auc == null ? null : round(auc);
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
