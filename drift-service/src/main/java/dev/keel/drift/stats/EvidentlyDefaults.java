package dev.keel.drift.stats;

/**
 * Evidently's {@code get_default_stattest}: the test a feature gets when nobody chose one, from
 * the reference's non-null size and the number of distinct non-null values over reference and
 * current together. Small references get hypothesis tests, large ones distances (with a large
 * reference every shift becomes "significant", so a magnitude is the more useful verdict).
 */
public final class EvidentlyDefaults {

    /** Reference sizes up to this use hypothesis tests. */
    public static final long SMALL_REFERENCE = 1000;

    /** Share of drifted features at or above which the dataset has drifted. */
    public static final double DRIFT_SHARE = 0.5;

    private EvidentlyDefaults() {
    }

    public static DriftMethod methodFor(boolean numerical, long referenceSize, long distinctValues) {
        if (referenceSize <= SMALL_REFERENCE) {
            if (numerical && distinctValues > 5) {
                return DriftMethod.KS;
            }
            return distinctValues > 2 ? DriftMethod.CHISQUARE : DriftMethod.Z;
        }
        if (numerical && distinctValues > 5) {
            return DriftMethod.WASSERSTEIN;
        }
        return DriftMethod.JENSENSHANNON;
    }
}
