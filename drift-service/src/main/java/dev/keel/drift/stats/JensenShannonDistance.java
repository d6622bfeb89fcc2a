package dev.keel.drift.stats;

/**
 * SciPy's {@code distance.jensenshannon(p, q)} with the natural logarithm (Evidently passes no
 * base): both vectors normalised to sum 1, the square root of the mean relative entropy to their
 * midpoint. Bounded by √ln 2 ≈ 0.833.
 */
public final class JensenShannonDistance {

    /** The largest value the distance can take (disjoint supports). */
    public static final double MAX = Math.sqrt(Math.log(2));

    private JensenShannonDistance() {
    }

    public static double between(double[] p, double[] q) {
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double m = (pi + qi) / 2.0;
            left += relativeEntropy(pi, m);
            right += relativeEntropy(qi, m);
        }
        return Math.sqrt((left + right) / 2.0);
    }

    private static double relativeEntropy(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
    }
}
