package dev.keel.training.client;

import dev.keel.training.data.ColumnSpec;
import dev.keel.common.stats.BinaryMetrics;
import java.util.List;
import java.util.Map;

/** The {@code metadata} part of a version registration, as the registry's contract names it. */
public record VersionMetadata(
        String algorithm,
        Map<String, Object> params,
        BinaryMetrics metrics,
        List<ColumnSpec> featureSchema,
        Map<String, Object> baselineStats,
        Long trainingRunId,
        String datasetFingerprint,
        String description) {
}
