package dev.keel.drift.stats;

import java.util.List;

/**
 * Drift of one feature. {@code result} is null when the current window has no value for it (it
 * then counts neither as drifted nor as evaluated). {@code distinctValues} is over reference
 * and current together, as Evidently counts it for choosing a method; numerical features with
 * more than 20 distinct reference values report the reference's count.
 */
public record FeatureDrift(String name, String type, long referenceCount, long currentCount, long currentMissing,
                           long distinctValues, MethodResult result, List<MethodResult> alternatives,
                           List<HistogramBucket> histogram) {

    public boolean evaluated() {
        return result != null;
    }

    public boolean drifted() {
        return result != null && result.drifted();
    }

    public double score() {
        return result == null ? 0.0 : result.score();
    }
}
