package dev.keel.drift.stats;

/**
 * ROC-AUC of one group of labelled predictions, from groups of equal probability fed in ascending
 * order (as {@code GROUP BY probability ORDER BY probability} yields them), so no row is held.
 * It is the Mann–Whitney statistic: the share of (positive, negative) pairs where the positive
 * scores higher, a tie counting one half — the same as ranking with ties averaged.
 */
public final class RocAucAccumulator {

    private double pairsWon;
    private double negativesBelow;
    private double positives;
    private double lastProbability = Double.NEGATIVE_INFINITY;

    /**
     * All labelled predictions with one probability: how many were positive and how many negative
     * (expected counts, fractional, for an estimate from calibrated probabilities).
     */
    public void addTie(double probability, double positivesAt, double negativesAt) {
        if (probability < lastProbability) {
            throw new IllegalArgumentException("probabilities must come in ascending order");
        }
        lastProbability = probability;
        pairsWon += positivesAt * negativesBelow + 0.5 * positivesAt * negativesAt;
        negativesBelow += negativesAt;
        positives += positivesAt;
    }

    /** The AUC, or {@code null} when either class is absent (the curve is undefined). */
    public Double auc() {
        if (positives == 0 || negativesBelow == 0) {
            return null;
        }
        return pairsWon / (positives * negativesBelow);
    }
}
