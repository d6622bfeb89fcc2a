package dev.keel.training.learning;

import java.util.List;
import java.util.Map;

/**
 * One candidate's cross-validation: its metrics on each fold's validation rows (at threshold 0.5)
 * and their mean, by which candidates are ranked.
 */
public record CandidateResult(int index, ModelFamily family, Map<String, Object> params, List<Fold> folds,
                              double meanF1, double stdF1, Double meanRocAuc, double meanAccuracy, long durationMs) {

    public record Fold(int fold, double accuracy, double precision, double recall, double f1, Double rocAuc) {
    }
}
