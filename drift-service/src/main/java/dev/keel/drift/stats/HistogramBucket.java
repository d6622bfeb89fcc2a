package dev.keel.drift.stats;

/** One bar pair of a reference-vs-current histogram: shares of each side's non-missing values. */
public record HistogramBucket(String label, Double lower, Double upper, double reference, double current) {
}
