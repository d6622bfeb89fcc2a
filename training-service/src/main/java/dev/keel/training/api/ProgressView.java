package dev.keel.training.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.training.domain.RunProgress;
import java.time.OffsetDateTime;

/**
 * How far a run has got.
 *
 * @param elapsedMs since the run started (to its end once finished)
 * @param estimatedRemainingMs the candidates left at the pace so far plus the final fit; null until
 *     the first candidate is done, 0 once finished
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressView(String phase, int candidatesDone, int candidatesTotal, RunProgress.BestSoFar bestSoFar,
                           Long elapsedMs, Long estimatedRemainingMs, String worker, OffsetDateTime heartbeatAt) {
}
