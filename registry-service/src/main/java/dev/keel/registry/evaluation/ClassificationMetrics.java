package dev.keel.registry.evaluation;

import dev.keel.registry.domain.ModelMetrics;
import java.util.Arrays;
import java.util.List;

/** Binary-classification metrics from predicted probabilities and true labels, computed as scikit-learn does. */
public final class ClassificationMetrics {

    private ClassificationMetrics() {
    }

    /**
     * Counts a prediction as positive when {@code probability >= threshold}. ROC-AUC is the
     * Mann-Whitney statistic with ties counted half, and null when only one class is present
     * (it is undefined then). Precision, recall and F1 are 0 where their denominator is.
     */
    public static ModelMetrics compute(float[] probabilities, boolean[] labels, double threshold) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = probabilities[i] >= threshold;
            if (predicted && labels[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (labels[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        double accuracy = (double) (tp + tn) / labels.length;
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ModelMetrics(round(accuracy), round(precision), round(recall), round(f1),
                rocAuc(probabilities, labels), List.of(List.of(tn, fp), List.of(fn, tp)), threshold);
    }

    static Double rocAuc(float[] probabilities, boolean[] labels) {
        int n = labels.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[a], probabilities[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && probabilities[order[j + 1]] == probabilities[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return round((positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives));
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
