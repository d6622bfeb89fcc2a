package dev.keel.training.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.training.domain.GateResult;
import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.learning.CandidateResult;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A training run as recorded: who or what started it, on which data, what it searched, every
 * candidate's per-fold metrics (on the single-run view), the chosen parameters, the test metrics
 * and the final model's ROC curve on the test rows ({@code [fpr, tpr]} points from [0, 0] to
 * [1, 1], on the single-run view of a finished run), the gate's verdict, and the version it registered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRunView(long id, String modelName, String status, String trigger, String triggeredBy,
                              Long datasetId, String datasetFingerprint, ProgressView progress,
                              Map<String, Object> searchSpace, List<CandidateResult> candidates,
                              Map<String, Object> bestParams, BinaryMetrics testMetrics, List<List<Double>> rocCurve,
                              GateResult gateResult,
                              Integer registeredVersion, String error, OffsetDateTime createdAt,
                              OffsetDateTime startedAt, OffsetDateTime finishedAt, Long durationMs) {
}
