package dev.keel.drift.stats;

import java.util.Locale;
import java.util.Optional;

/**
 * The drift tests Keel runs, named as Evidently names its stattests. Each has its own default
 * threshold and its own sense of "drifted": p-value tests drift when p is small, distances when
 * the distance is large. The score is each method's magnitude on [0, 1], so features measured
 * with different methods can share one warning/critical scale.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov–Smirnov; drifted when p ≤ threshold; score = the statistic D. */
    KS("ks", 0.05),
    /** Pearson chi-squared on category counts; drifted when p &lt; threshold; score = total variation distance. */
    CHISQUARE("chisquare", 0.05),
    /** Two-proportion Z-test; drifted when p &lt; threshold; score = total variation distance (|Δ share|). */
    Z("z", 0.05),
    /** Wasserstein distance / reference std; drifted when ≥ threshold; score = the value capped at 1. */
    WASSERSTEIN("wasserstein", 0.1),
    /** Jensen–Shannon distance (natural log); drifted when ≥ threshold; score = the distance (≤ 0.833). */
    JENSENSHANNON("jensenshannon", 0.1),
    /** PSI over Evidently's buckets; drifted when ≥ threshold; score = the value capped at 1. */
    PSI("psi", 0.1),
    /** PSI over ten reference-quantile buckets (the classic credit-scoring PSI); as PSI otherwise. */
    PSI_QUANTILE("psi_quantile", 0.1);

    private final String id;
    private final double defaultThreshold;

    DriftMethod(String id, double defaultThreshold) {
        this.id = id;
        this.defaultThreshold = defaultThreshold;
    }

    public String id() {
        return id;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the method can measure a feature of this kind. */
    public boolean appliesTo(boolean numerical) {
        return switch (this) {
            case KS, WASSERSTEIN, PSI_QUANTILE -> numerical;
            case CHISQUARE, Z, JENSENSHANNON, PSI -> true;
        };
    }

    /** Whether the threshold is a p-value, from 0 to 1 (drifted when p is small), rather than a distance. */
    public boolean testsPValue() {
        return switch (this) {
            case KS, CHISQUARE, Z -> true;
            case WASSERSTEIN, JENSENSHANNON, PSI, PSI_QUANTILE -> false;
        };
    }

    /** The method's verdict on its own statistic or p-value (Evidently's comparison operators). */
    public boolean drifted(TestResult result, double threshold) {
        return switch (this) {
            case KS -> result.pValue() <= threshold;
            case CHISQUARE, Z -> result.pValue() < threshold;
            case WASSERSTEIN, JENSENSHANNON, PSI, PSI_QUANTILE -> result.statistic() >= threshold;
        };
    }

    public static Optional<DriftMethod> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (DriftMethod m : values()) {
            if (m.id.equals(wanted)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
