package dev.keel.drift.stats;

/**
 * PSI = Σ (ref − cur) · ln(ref / cur) over bucket shares. Empty buckets would make it infinite,
 * so each side's zero shares are replaced first, as Evidently does: by a millionth of that side's
 * smallest non-zero share when that share is ≤ 1e-4, else by 1e-4.
 */
public final class PopulationStabilityIndex {

    private PopulationStabilityIndex() {
    }

    /** PSI of two share vectors (copied, then zero-filled). */
    public static double between(double[] referenceShares, double[] currentShares) {
        double[] r = fillZeroes(referenceShares);
        double[] c = fillZeroes(currentShares);
        double psi = 0;
        for (int i = 0; i < r.length; i++) {
            psi += (r[i] - c[i]) * Math.log(r[i] / c[i]);
        }
        return psi;
    }

    /** Evidently's {@code feel_zeroes}: zero shares become a small epsilon derived from the rest. */
    public static double[] fillZeroes(double[] shares) {
        double minNonZero = Double.POSITIVE_INFINITY;
        for (double s : shares) {
            if (s != 0 && s < minNonZero) {
                minNonZero = s;
            }
        }
        double epsilon = minNonZero <= 1e-4 ? minNonZero / 1e6 : 1e-4;
        double[] filled = shares.clone();
        for (int i = 0; i < filled.length; i++) {
            if (filled[i] == 0) {
                filled[i] = epsilon;
            }
        }
        return filled;
    }
}
