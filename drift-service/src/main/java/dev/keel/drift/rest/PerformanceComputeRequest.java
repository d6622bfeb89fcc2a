package dev.keel.drift.rest;

/**
 * Compute performance buckets of a model version (the production one when no version is named)
 * over [from, to), ISO-8601 instants; {@code to} defaults to now, {@code from} to the scheduled
 * job's lookback before {@code to}. The range is widened to whole buckets.
 */
public record PerformanceComputeRequest(String modelName, Integer modelVersion, String from, String to) {
}
