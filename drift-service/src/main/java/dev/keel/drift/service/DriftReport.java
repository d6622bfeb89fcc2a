package dev.keel.drift.service;

import java.time.Instant;
import java.util.List;

/**
 * A stored drift report: which model version and window, the dataset verdict and score, and
 * every feature. {@code source} says where the current data came from (prediction_log or csv).
 */
public record DriftReport(Long id, String project, String modelName, int modelVersion, String trigger, String source,
                          Instant windowStart, Instant windowEnd, long referenceRows, long currentRows,
                          boolean datasetDrift, double driftShare, double driftShareThreshold, int evaluatedFeatures,
                          int driftedFeatures, double driftScore, Severity severity, double warningThreshold,
                          double criticalThreshold, List<FeatureReport> features, Instant createdAt) {

    /** What the report JSONB column holds; the rest lives in columns of its own. */
    public record Body(String project, String source, double driftShareThreshold, int evaluatedFeatures,
                       int driftedFeatures, double warningThreshold, double criticalThreshold,
                       List<FeatureReport> features) {
    }

    public Body body() {
        return new Body(project, source, driftShareThreshold, evaluatedFeatures, driftedFeatures, warningThreshold,
                criticalThreshold, features);
    }

    public DriftReport withIdAndTime(long newId, Instant created) {
        return new DriftReport(newId, project, modelName, modelVersion, trigger, source, windowStart, windowEnd,
                referenceRows, currentRows, datasetDrift, driftShare, driftShareThreshold, evaluatedFeatures,
                driftedFeatures, driftScore, severity, warningThreshold, criticalThreshold, features, created);
    }
}
