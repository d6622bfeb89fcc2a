package dev.keel.training.api;

import dev.keel.training.domain.RunTrigger;
import dev.keel.training.learning.ModelFamily;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * A training run to start.
 *
 * @param families the candidate families to search; all four when absent
 * @param search grid or random, and the most candidates; the configured defaults when absent
 * @param trigger manual (default) or agent; schedule is the scheduler's own
 */
public record StartRunRequest(@NotNull String modelName, @NotNull Long datasetId, List<@NotNull ModelFamily> families,
                              @Valid SearchRequest search, RunTrigger trigger) {
}
