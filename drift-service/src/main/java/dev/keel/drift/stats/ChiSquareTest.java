package dev.keel.drift.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Pearson's goodness-of-fit test as SciPy's {@code chisquare(f_obs, f_exp)}: Evidently feeds it
 * the current counts per category and the reference counts rescaled to the current size. A
 * category the reference never saw has an expected count of 0, so the statistic is infinite and
 * the p-value 0, which is what Evidently reports too.
 */
public final class ChiSquareTest {

    private ChiSquareTest() {
    }

    public static TestResult goodnessOfFit(double[] observed, double[] expected) {
        if (observed.length != expected.length || observed.length == 0) {
            throw new IllegalArgumentException("observed and expected need the same, non-zero length");
        }
        double statistic = 0;
        for (int i = 0; i < observed.length; i++) {
            double diff = observed[i] - expected[i];
            statistic += diff * diff / expected[i];
        }
        int dof = observed.length - 1;
        double p;
        if (Double.isNaN(statistic) || dof <= 0) {
            p = Double.isNaN(statistic) ? Double.NaN : 1.0;
        } else if (Double.isInfinite(statistic)) {
            p = 0.0;
        } else {
            p = Gamma.regularizedGammaQ(dof / 2.0, statistic / 2.0);
        }
        return new TestResult(statistic, p);
    }

    /** Evidently's call: current counts against reference counts scaled by n_current / n_reference. */
    public static TestResult ofCounts(double[] referenceCounts, double referenceTotal, double[] currentCounts, double currentTotal) {
        double k = currentTotal / referenceTotal;
        double[] expected = new double[referenceCounts.length];
        double[] observed = new double[currentCounts.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = referenceCounts[i] * k;
            observed[i] = currentCounts[i];
        }
        return goodnessOfFit(observed, expected);
    }
}
