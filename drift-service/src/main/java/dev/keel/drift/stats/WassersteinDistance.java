package dev.keel.drift.stats;

/**
 * First Wasserstein (earth mover's) distance between two samples, ∫|F_a − F_b| dx, as SciPy's
 * {@code wasserstein_distance} computes it, walked over the merged sorted values.
 */
public final class WassersteinDistance {

    private WassersteinDistance() {
    }

    /** W1 of two sorted, non-empty samples. */
    public static double between(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double sum = 0;
        double previous = Math.min(a[0], b[0]);
        while (i < n1 || j < n2) {
            double x = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
            // the CDFs are constant on [previous, x): their gap times the width
            sum += Math.abs((double) i / n1 - (double) j / n2) * (x - previous);
            while (i < n1 && a[i] <= x) {
                i++;
            }
            while (j < n2 && b[j] <= x) {
                j++;
            }
            previous = x;
        }
        return sum;
    }

    /**
     * Evidently's normalised form: W1 divided by the reference's population standard deviation,
     * floored at 0.001 so a constant reference does not divide by zero.
     */
    public static double normalised(double w1, double referenceStd) {
        return w1 / Math.max(referenceStd, 0.001);
    }
}
