package dev.keel.training.learning;

import dev.keel.common.stats.BinaryMetrics;

/**
 * Chooses the decision threshold with the best F1 on out-of-fold predictions, which the search made
 * anyway and which never saw the held-out test rows, so the test metrics stay honest.
 */
public final class ThresholdTuner {

    private ThresholdTuner() {
    }

    /** The threshold in 0.05..0.95 (steps of 0.01) with the best F1; on a tie, the one nearest 0.5. */
    public static double bestF1Threshold(float[] probabilities, float[] labels) {
        double best = 0.5;
        double bestF1 = BinaryMetrics.of(probabilities, labels, 0.5).f1();
        for (int step = 5; step <= 95; step++) {
            double threshold = step / 100.0;
            double f1 = BinaryMetrics.of(probabilities, labels, threshold).f1();
            if (f1 > bestF1 + 1e-12 || (Math.abs(f1 - bestF1) <= 1e-12 && Math.abs(threshold - 0.5) < Math.abs(best - 0.5))) {
                best = threshold;
                bestF1 = f1;
            }
        }
        return best;
    }
}
