package dev.keel.training.api;

import dev.keel.training.domain.RunTrigger;
import jakarta.validation.constraints.Size;

/**
 * A retraining request; every field optional.
 *
 * @param datasetId train on this dataset instead of the model's configured source or latest dataset
 * @param trigger manual (default) or agent
 * @param reason why, recorded with who asked (the agent sends its diagnosis)
 */
public record RetrainRequest(Long datasetId, RunTrigger trigger, @Size(max = 500) String reason) {
}
