package dev.keel.training.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Why a run's model was promoted or kept in staging: every check, the champion it was compared
 * with (if any) and both F1 scores on the same held-out rows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateResult(boolean promoted, String stage, String reason, List<GateCheck> checks,
                         Integer championVersion, Double championF1, Double challengerF1, double minF1,
                         double championMargin) {
}
