package dev.keel.drift.rest;

import dev.keel.drift.service.DriftReport;
import dev.keel.drift.service.Severity;
import java.time.Instant;

/** A report in a listing: the verdict without the features. */
public record DriftReportSummary(long id, String modelName, int modelVersion, String trigger, String source,
                                 Instant windowStart, Instant windowEnd, long currentRows, boolean datasetDrift,
                                 double driftShare, double driftScore, Severity severity, Instant createdAt) {

    static DriftReportSummary of(DriftReport r) {
        return new DriftReportSummary(r.id(), r.modelName(), r.modelVersion(), r.trigger(), r.source(), r.windowStart(),
                r.windowEnd(), r.currentRows(), r.datasetDrift(), r.driftShare(), r.driftScore(), r.severity(),
                r.createdAt());
    }
}
