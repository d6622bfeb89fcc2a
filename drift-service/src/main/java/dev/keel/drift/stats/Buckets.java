package dev.keel.drift.stats;

import java.util.List;

/**
 * Counts of reference and current values over the same buckets (categories, distinct values,
 * Sturges bins or reference deciles): the common input of chi-squared, the Z-test,
 * Jensen–Shannon and PSI. Reference counts may be fractional when they come from a sample.
 */
record Buckets(List<String> labels, double[] reference, double referenceTotal, double[] current, double currentTotal) {

    double[] referenceShares() {
        return shares(reference, referenceTotal);
    }

    double[] currentShares() {
        return shares(current, currentTotal);
    }

    TestResult chiSquare() {
        return ChiSquareTest.ofCounts(reference, referenceTotal, current, currentTotal);
    }

    /** Evidently's Z-test: the first bucket (labels are sorted) against all others. */
    TestResult zTest() {
        return ProportionsZTest.test(reference[0], referenceTotal, current[0], currentTotal);
    }

    double jensenShannon() {
        return JensenShannonDistance.between(referenceShares(), currentShares());
    }

    double psi() {
        return PopulationStabilityIndex.between(referenceShares(), currentShares());
    }

    /** Total variation distance: half the summed share differences, on [0, 1]. */
    double totalVariation() {
        double[] r = referenceShares();
        double[] c = currentShares();
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += Math.abs(r[i] - c[i]);
        }
        return Math.min(1.0, sum / 2);
    }

    private static double[] shares(double[] counts, double total) {
        double[] s = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            s[i] = total == 0 ? 0 : counts[i] / total;
        }
        return s;
    }
}
