package dev.keel.drift.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * The confusion counts of a multi-class classifier's labelled predictions, fed as (predicted class,
 * true class, count) cells, and the metrics read off them as scikit-learn computes them with
 * {@code average="macro", zero_division=0}: per class (every class that was predicted or labelled)
 * one-vs-rest precision, recall and F1, a class's undefined ratio counted as 0, then their
 * unweighted mean. Accuracy is the share of predictions that name the true class. Every metric is
 * {@code null} when nothing is labelled.
 */
public final class ClassConfusion {

    private final Map<Double, long[]> perClass = new TreeMap<>();   // class -> {true positives, predicted, actual}
    private long total;
    private long correct;

    public void add(double predicted, double actual, long count) {
        total += count;
        if (predicted == actual) {
            correct += count;
            counts(predicted)[0] += count;
        }
        counts(predicted)[1] += count;
        counts(actual)[2] += count;
    }

    private long[] counts(double label) {
        return perClass.computeIfAbsent(label, k -> new long[3]);
    }

    public long total() {
        return total;
    }

    public Double accuracy() {
        return total == 0 ? null : correct / (double) total;
    }

    public Double macroPrecision() {
        return macro(0);
    }

    public Double macroRecall() {
        return macro(1);
    }

    public Double macroF1() {
        return macro(2);
    }

    private Double macro(int metric) {
        if (total == 0) {
            return null;
        }
        double sum = 0;
        for (long[] c : perClass.values()) {
            long tp = c[0];
            long predicted = c[1];
            long actual = c[2];
            sum += switch (metric) {
                case 0 -> predicted == 0 ? 0 : tp / (double) predicted;
                case 1 -> actual == 0 ? 0 : tp / (double) actual;
                default -> predicted + actual == 0 ? 0 : 2.0 * tp / (predicted + actual);
            };
        }
        return sum / perClass.size();
    }
}
