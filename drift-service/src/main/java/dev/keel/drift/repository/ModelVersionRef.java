package dev.keel.drift.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.common.model.Objective;

/**
 * A model version as drift needs it, read from the registry's tables: identity, stage, the
 * baseline statistics JSON (null when none were recorded), recorded test metrics, the decision
 * threshold and the XGBoost objective (null when none was recorded).
 */
public record ModelVersionRef(long projectId, String projectName, long modelId, String modelName, long versionId,
                              int version, String stage, String baselineJson, JsonNode metrics,
                              double decisionThreshold, String objective) {

    /**
     * How performance monitoring scores this version's predictions: by its objective, and as a binary
     * classifier when none was recorded (Keel's own training registers binary classifiers) or the
     * name is not one this runtime knows.
     */
    public Objective.Task task() {
        return Objective.taskOf(objective);
    }

    /** "project/model:version", how logs and alerts name it. */
    public String label() {
        return projectName + "/" + modelName + ":" + version;
    }
}
