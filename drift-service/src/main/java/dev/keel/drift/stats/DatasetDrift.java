package dev.keel.drift.stats;

import java.util.List;

/**
 * Drift of a whole window: every feature, the share of evaluated features that drifted, the
 * dataset verdict (share ≥ the policy's drift share, Evidently's rule), and the drift score, which
 * is the largest feature score (as the seed's /monitor answer reads).
 */
public record DatasetDrift(long referenceRows, long currentRows, List<FeatureDrift> features, int evaluatedFeatures,
                           int driftedFeatures, double driftShare, double driftShareThreshold, boolean datasetDrift,
                           double driftScore) {

    public static DatasetDrift of(long referenceRows, long currentRows, List<FeatureDrift> features, double threshold) {
        int evaluated = (int) features.stream().filter(FeatureDrift::evaluated).count();
        int drifted = (int) features.stream().filter(FeatureDrift::drifted).count();
        double share = evaluated == 0 ? 0.0 : (double) drifted / evaluated;
        double score = features.stream().mapToDouble(FeatureDrift::score).max().orElse(0.0);
        return new DatasetDrift(referenceRows, currentRows, List.copyOf(features), evaluated, drifted, share, threshold,
                evaluated > 0 && share >= threshold, score);
    }
}
