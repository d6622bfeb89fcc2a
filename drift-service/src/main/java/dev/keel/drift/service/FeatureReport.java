package dev.keel.drift.service;

import dev.keel.drift.stats.FeatureDrift;
import dev.keel.drift.stats.HistogramBucket;
import dev.keel.drift.stats.MethodResult;
import java.util.List;

/**
 * One feature of a drift report as stored and served: the method Keel used and its verdict,
 * every other method's figures where asked for, and the reference-vs-current histogram.
 * {@code method} is null (and the numbers zero) when the window had no value of the feature.
 */
public record FeatureReport(String name, String type, String method, Double threshold, Object statistic,
                            Double pValue, double score, boolean drifted, long referenceCount, long currentCount,
                            long currentMissing, long distinctValues, List<Alternative> alternatives,
                            List<HistogramBucket> histogram) {

    /** Another method's figures for the same feature. */
    public record Alternative(String method, double threshold, Object statistic, Double pValue, double score,
                              boolean drifted) {
    }

    public static FeatureReport of(FeatureDrift f) {
        MethodResult r = f.result();
        List<Alternative> alternatives = f.alternatives().stream()
                .map(a -> new Alternative(a.method().id(), a.threshold(), number(a.statistic()), a.pValue(), a.score(), a.drifted()))
                .toList();
        return new FeatureReport(f.name(), f.type(), r == null ? null : r.method().id(), r == null ? null : r.threshold(),
                r == null ? null : number(r.statistic()), r == null ? null : r.pValue(), f.score(), f.drifted(),
                f.referenceCount(), f.currentCount(), f.currentMissing(), f.distinctValues(), alternatives, f.histogram());
    }

    /** JSON has no infinity: chi-squared with a category the reference never saw reads "Infinity". */
    static Object number(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return Double.isNaN(value) ? null : value;
    }
}
