package dev.keel.drift.rest;

import dev.keel.drift.service.DriftReport;
import dev.keel.drift.service.FeatureReport;
import dev.keel.drift.service.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A report in a listing: the verdict and each feature's drift score, without the features' details,
 * so a chart of every feature's score over time takes one call.
 *
 * @param featureScores feature name to the score its full report carries, in the report's feature order
 */
public record DriftReportSummary(long id, String modelName, int modelVersion, String trigger, String source,
                                 Instant windowStart, Instant windowEnd, long currentRows, boolean datasetDrift,
                                 double driftShare, double driftScore, Severity severity,
                                 Map<String, Double> featureScores, Instant createdAt) {

    static DriftReportSummary of(DriftReport r) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (FeatureReport f : r.features() == null ? java.util.List.<FeatureReport>of() : r.features()) {
            scores.put(f.name(), f.score());
        }
        return new DriftReportSummary(r.id(), r.modelName(), r.modelVersion(), r.trigger(), r.source(), r.windowStart(),
                r.windowEnd(), r.currentRows(), r.datasetDrift(), r.driftShare(), r.driftScore(), r.severity(), scores,
                r.createdAt());
    }
}
