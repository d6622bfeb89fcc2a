package dev.keel.registry.api;

import dev.keel.common.features.FeatureSpec;
import dev.keel.registry.domain.ModelMetrics;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What a client says about a version it registers; all optional. Without {@code feature_schema}
 * the registry takes the feature names and types from the model file. Feature specs are common's
 * {@link FeatureSpec}, the form inference and drift read back; they are checked against the model
 * file at registration.
 */
public record VersionMetadata(
        @Size(max = 200) String algorithm,
        Map<String, Object> params,
        @Valid ModelMetrics metrics,
        List<FeatureSpec> featureSchema,
        Map<String, Object> baselineStats,
        Long trainingRunId,
        @Size(max = 200) String datasetFingerprint,
        @Size(max = 2000) String description) {

    public static VersionMetadata empty() {
        return new VersionMetadata(null, null, null, null, null, null, null, null);
    }
}
