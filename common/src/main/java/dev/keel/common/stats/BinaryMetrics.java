package dev.keel.common.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary classifier's quality on labelled rows at a probability threshold (predict 1 when
 * {@code probability >= threshold}), computed as scikit-learn does: training scores its candidates
 * with it and the registry evaluates versions on uploaded data with it. ROC-AUC does not depend on the threshold; it is null when the
 * rows hold a single class. The confusion matrix is {@code [[tn, fp], [fn, tp]]}.
 */
public record BinaryMetrics(double accuracy, double precision, double recall, double f1, Double rocAuc,
                            List<List<Long>> confusionMatrix, double threshold) {

    /** Labels as 0/1 floats (a label above 0.5 is positive), as xgboost4j's DMatrix holds them. */
    public static BinaryMetrics of(float[] probabilities, float[] labels, double threshold) {
        boolean[] positive = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            positive[i] = labels[i] > 0.5f;
        }
        return of(probabilities, positive, threshold);
    }

    public static BinaryMetrics of(float[] probabilities, boolean[] labels, double threshold) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " predictions for " + labels.length + " labels");
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = probabilities[i] >= threshold;
            boolean actual = labels[i];
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
        }
        long n = tp + fp + tn + fn;
        double accuracy = n == 0 ? 0 : (tp + tn) / (double) n;
        // no positive prediction (or no positive row) scores 0, as scikit-learn's zero_division=0 does
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new BinaryMetrics(accuracy, precision, recall, f1, rocAuc(probabilities, labels),
                List.of(List.of(tn, fp), List.of(fn, tp)), threshold);
    }

    /** The Mann-Whitney U statistic over both classes' ranks, ties given their average rank. */
    public static Double rocAuc(float[] probabilities, boolean[] labels) {
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
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * The ROC curve as {@code [false positive rate, true positive rate]} points from (0, 0) to (1, 1),
     * one threshold per distinct probability, highest first: rows tied on a score move the curve in
     * one (diagonal) step, as scikit-learn's {@code roc_curve} does. A longer curve is thinned to
     * {@code maxPoints} evenly spaced points, keeping the first and the last, so both coordinates
     * stay non-decreasing. Empty when the rows hold a single class, where the rates are undefined.
     */
    public static List<List<Double>> rocCurve(float[] probabilities, boolean[] labels, int maxPoints) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " predictions for " + labels.length + " labels");
        }
        if (maxPoints < 2) {
            throw new IllegalArgumentException("a ROC curve needs at least 2 points, not " + maxPoints);
        }
        int n = labels.length;
        long positives = 0;
        for (boolean label : labels) {
            if (label) {
                positives++;
            }
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return List.of();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
        List<List<Double>> curve = new ArrayList<>();
        curve.add(List.of(0.0, 0.0));
        long tp = 0;
        long fp = 0;
        int i = 0;
        while (i < n) {
            float score = probabilities[order[i]];
            int j = i;
            // Float.compare, as the sort: NaN scores form one group rather than none
            while (j < n && Float.compare(probabilities[order[j]], score) == 0) {
                if (labels[order[j]]) {
                    tp++;
                } else {
                    fp++;
                }
                j++;
            }
            curve.add(List.of(fp / (double) negatives, tp / (double) positives));
            i = j;
        }
        if (curve.size() <= maxPoints) {
            return curve;
        }
        List<List<Double>> thinned = new ArrayList<>(maxPoints);
        for (int k = 0; k < maxPoints; k++) {
            // strictly increasing indices from 0 to the last, since the curve is longer than maxPoints
            thinned.add(curve.get((int) Math.round(k * (curve.size() - 1) / (double) (maxPoints - 1))));
        }
        return thinned;
    }

    /** The share of rows of the more frequent class: what always predicting it scores. */
    public static double majorityAccuracy(float[] labels) {
        long positives = 0;
        for (float l : labels) {
            if (l > 0.5f) {
                positives++;
            }
        }
        return Math.max(positives, labels.length - positives) / (double) labels.length;
    }
}
