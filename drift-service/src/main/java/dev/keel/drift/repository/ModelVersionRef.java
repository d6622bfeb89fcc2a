package dev.keel.drift.repository;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model version as drift needs it, read from the registry's tables: identity, stage, the
 * baseline statistics JSON (null when none were recorded), recorded test metrics and the decision
 * threshold.
 */
public record ModelVersionRef(long projectId, String projectName, long modelId, String modelName, long versionId,
                              int version, String stage, String baselineJson, JsonNode metrics,
                              double decisionThreshold) {

    /** "project/model:version", how logs and alerts name it. */
    public String label() {
        return projectName + "/" + modelName + ":" + version;
    }
}
