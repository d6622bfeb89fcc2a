package dev.keel.drift.stats;

/**
 * One method's measurement of one feature. {@code pValue} is null for distances; {@code score}
 * is the method's magnitude on [0, 1] (see {@link DriftMethod}).
 */
public record MethodResult(DriftMethod method, double threshold, double statistic, Double pValue, double score,
                           boolean drifted) {
}
