package dev.keel.drift.stats;

/**
 * NannyML's confidence-based performance estimation (CBPE) for one window of unlabelled
 * predictions: with calibrated probabilities c(p) = P(y = 1 | p), a predicted positive is a true
 * positive with probability c(p) and a false positive otherwise, a predicted negative a false
 * negative with probability c(p) and a true negative otherwise; summing gives the expected
 * confusion matrix, from which the metrics follow. Cells of equal prediction and probability bin
 * are fed with their count and mean probability, so the window is never held row by row.
 */
public final class ConfidenceBasedEstimate {

    private final ProbabilityCalibration calibration;
    private double tp;
    private double fp;
    private double fn;
    private double tn;
    private long rows;

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
    }

    public long rows() {
        return rows;
    }

    public ConfusionMatrix expected() {
        return new ConfusionMatrix(tp, fp, fn, tn);
    }
}
