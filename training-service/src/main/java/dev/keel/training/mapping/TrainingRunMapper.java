package dev.keel.training.mapping;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.training.api.ProgressView;
import dev.keel.training.api.TrainingRunView;
import dev.keel.training.domain.GateResult;
import dev.keel.training.domain.RunPhase;
import dev.keel.training.domain.RunProgress;
import dev.keel.training.domain.RunStatus;
import dev.keel.training.entity.TrainingRunEntity;
import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.learning.CandidateResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs as the API shows them; elapsed and remaining time are computed at read time, so they are current. */
@ApplicationScoped
public class TrainingRunMapper {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<CandidateResult>> CANDIDATES = new TypeReference<>() { };
    private static final TypeReference<List<List<Double>>> CURVE = new TypeReference<>() { };

    private final JsonColumns json;

    public TrainingRunMapper(JsonColumns json) {
        this.json = json;
    }

    /**
     * @param single the per-candidate, per-fold metrics and the ROC curve: the single-run view has them, lists do
     *               not
     */
    public TrainingRunView toView(TrainingRunEntity r, boolean single) {
        return new TrainingRunView(r.id, r.modelName, r.status, r.trigger, r.triggeredBy, r.datasetId, r.datasetFingerprint,
                progress(r), json.read(r.searchSpace, MAP), single ? json.read(r.candidates, CANDIDATES) : null,
                json.read(r.bestParams, MAP), json.read(r.testMetrics, BinaryMetrics.class),
                single ? json.read(r.rocCurve, CURVE) : null,
                json.read(r.gateResult, GateResult.class), r.registeredVersion, r.error, r.createdAt, r.startedAt,
                r.finishedAt, r.durationMs);
    }

    private ProgressView progress(TrainingRunEntity r) {
        RunProgress p = json.read(r.progress, RunProgress.class);
        RunStatus status = RunStatus.fromWireName(r.status);
        RunPhase phase = r.phase == null ? RunPhase.QUEUED : RunPhase.valueOf(r.phase.toUpperCase(Locale.ROOT));
        Long elapsed = null;
        if (r.startedAt != null) {
            OffsetDateTime end = r.finishedAt != null ? r.finishedAt : OffsetDateTime.now();
            elapsed = Duration.between(r.startedAt, end).toMillis();
        }
        Long remaining = status.isFinished() ? Long.valueOf(0) : p == null ? null : p.estimatedRemainingMs(phase);
        if (p == null) {
            return new ProgressView(phase.wireName(), 0, 0, null, elapsed, remaining, null, null);
        }
        return new ProgressView(phase.wireName(), p.candidatesDone(), p.candidatesTotal(), p.bestSoFar(), elapsed,
                remaining, p.worker(), p.heartbeatAt());
    }
}
