package dev.keel.drift.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * NannyML's confidence-based performance estimation (CBPE) for one window of unlabelled
 * predictions: with calibrated probabilities c(p) = P(y = 1 | p), a predicted positive is a true
 * positive with probability c(p) and a false positive otherwise, a predicted negative a false
 * negative with probability c(p) and a true negative otherwise; summing gives the expected
 * confusion matrix, from which the metrics follow. ROC-AUC is estimated the same way: each cell
 * counts c(p) of its predictions as positives and the rest as negatives, at its probability, in the
 * Mann–Whitney sum (NannyML's CBPE estimates its ROC curve from the same expected counts). Cells of
 * equal prediction and probability bin are fed with their count and mean probability, so the
 * window is never held row by row, only its cells (two per probability bin at most).
 */
public final class ConfidenceBasedEstimate {

    private final ProbabilityCalibration calibration;
    private double tp;
    private double fp;
    private double fn;
    private double tn;
    private long rows;
    /** Per cell: mean probability, expected positives, expected negatives. */
    private final List<double[]> cells = new ArrayList<>();

    public ConfidenceBasedEstimate(ProbabilityCalibration calibration) {
        this.calibration = calibration;
    }

    /** {@code count} predictions with the given predicted class and mean probability. */
    public void add(boolean predictedPositive, long count, double meanProbability) {
        double expectedPositives = count * calibration.apply(meanProbability);
        if (predictedPositive) {
            tp += expectedPositives;
            fp += count - expectedPositives;
        } else {
            fn += expectedPositives;
            tn += count - expectedPositives;
        }
        rows += count;
        cells.add(new double[] {meanProbability, expectedPositives, count - expectedPositives});
    }

    public long rows() {
        return rows;
    }

    public ConfusionMatrix expected() {
        return new ConfusionMatrix(tp, fp, fn, tn);
    }

    /** The expected ROC-AUC, or null when the calibration expects no positives or no negatives. */
    public Double rocAuc() {
        cells.sort(Comparator.comparingDouble(c -> c[0]));
        RocAucAccumulator auc = new RocAucAccumulator();
        for (double[] c : cells) {
            auc.addTie(c[0], c[1], c[2]);
        }
        return auc.auc();
    }
}
