package dev.keel.drift.stats;

import org.apache.commons.math3.special.Erf;

/**
 * Evidently's two-proportion Z-test for features with at most two values: the share of the
 * first value (in sorted order) in reference and current, pooled variance, two-sided p-value
 * {@code 2 (1 − Φ(|z|))}. When both samples hold the same single value there is nothing to test
 * and the p-value is 1.
 */
public final class ProportionsZTest {

    private ProportionsZTest() {
    }

    /**
     * @param referenceFirst  reference rows equal to the first key
     * @param referenceTotal  reference rows
     * @param currentFirst    current rows equal to the first key
     * @param currentTotal    current rows
     */
    public static TestResult test(double referenceFirst, double referenceTotal, double currentFirst, double currentTotal) {
        double n1 = referenceTotal;
        double n2 = currentTotal;
        // Evidently codes the first key as 0 and every other value as 1
        double p1 = (referenceTotal - referenceFirst) / n1;
        double p2 = (currentTotal - currentFirst) / n2;
        boolean sameSingleValue = (p1 == 0 && p2 == 0) || (p1 == 1 && p2 == 1);
        if (sameSingleValue) {
            return new TestResult(0.0, 1.0);
        }
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double p = 2 * (1 - normalCdf(Math.abs(z)));
        return new TestResult(z, p);
    }

    static double normalCdf(double x) {
        return 0.5 * Erf.erfc(-x / Math.sqrt(2.0));
    }
}
