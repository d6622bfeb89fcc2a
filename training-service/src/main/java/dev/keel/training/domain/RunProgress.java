package dev.keel.training.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.training.learning.ModelFamily;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What {@code training_runs.progress} holds while a run goes on. {@code worker} and
 * {@code heartbeat_at} say which replica runs it and that it is alive; the reaper fails runs whose
 * heartbeat stops.
 *
 * @param searchMs time spent cross-validating so far, for the estimate of what is left
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunProgress(String worker, OffsetDateTime heartbeatAt, int candidatesDone, int candidatesTotal,
                          BestSoFar bestSoFar, Long searchMs, Integer folds) {

    /** The best candidate so far, by mean cross-validated F1. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BestSoFar(int candidate, ModelFamily family, double meanF1, Map<String, Object> params) {
    }

    public static RunProgress queued(String worker, int total) {
        return new RunProgress(worker, OffsetDateTime.now(), 0, total, null, null, null);
    }

    public RunProgress alive() {
        return new RunProgress(worker, OffsetDateTime.now(), candidatesDone, candidatesTotal, bestSoFar, searchMs, folds);
    }

    /** Estimated time left: the candidates to go at the mean pace so far, plus about one candidate's worth for the final fit. */
    public Long estimatedRemainingMs(RunPhase phase) {
        if (searchMs == null || candidatesDone == 0) {
            return null;
        }
        double perCandidate = searchMs / (double) candidatesDone;
        double finalFit = perCandidate / Math.max(1, folds == null ? 5 : folds) * 1.25;
        return switch (phase) {
            case QUEUED, LOADING -> null;
            case SEARCHING -> Math.round(perCandidate * (candidatesTotal - candidatesDone) + finalFit);
            case FITTING -> Math.round(finalFit);
            case REGISTERING, GATING, FINISHED -> 0L;
        };
    }
}
