package dev.keel.registry.api;

import dev.keel.common.features.FeatureSpec;
import dev.keel.registry.domain.ModelMetrics;
import dev.keel.registry.domain.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

public record VersionView(String model, int version, Stage stage, String algorithm, Map<String, Object> params,
                          ModelMetrics metrics, List<FeatureSpec> featureSchema, Map<String, Object> baselineStats,
                          double decisionThreshold, Long trainingRunId, String datasetFingerprint, String description,
                          ArtifactView artifact, String createdBy, Instant createdAt, Instant stageChangedAt) {
}
