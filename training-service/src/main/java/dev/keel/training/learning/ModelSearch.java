package dev.keel.training.learning;

import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.data.EncodedDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;

/**
 * Cross-validates candidates on the training rows and picks the one with the best mean F1; the fold
 * matrices are built once and shared by every candidate. The held-out test rows are never touched
 * here.
 */
public final class ModelSearch {

    /** Told about each finished candidate, e.g. to record progress. */
    @FunctionalInterface
    public interface Listener {
        void candidateFinished(CandidateResult result, CandidateResult best, int done, int total);
    }

    /**
     * @param best the winner
     * @param outOfFoldProbabilities the winner's prediction for every training row, made by the fold
     *     model that did not see it, aligned with {@code trainRows}
     */
    public record Outcome(List<CandidateResult> candidates, CandidateResult best, Hyperparameters bestParams,
                          float[] outOfFoldProbabilities, float[] outOfFoldLabels) {
    }

    private final XgbTrainer trainer;

    public ModelSearch(XgbTrainer trainer) {
        this.trainer = trainer;
    }

    public Outcome run(EncodedDataset data, int[] trainRows, List<Hyperparameters> candidates, int folds, long seed,
                       Cancellation cancellation, Listener listener) {
        int[] labels = data.labelsAsInts();
        List<StratifiedSplit.Split> splits = StratifiedSplit.kFold(labels, trainRows, folds, seed);
        // where each training row sits in trainRows, to place its out-of-fold prediction
        int[] position = new int[data.rows()];
        for (int i = 0; i < trainRows.length; i++) {
            position[trainRows[i]] = i;
        }
        List<DMatrix[]> matrices = new ArrayList<>(folds);
        try {
            for (StratifiedSplit.Split split : splits) {
                matrices.add(new DMatrix[] {trainer.matrix(data, split.train()), trainer.matrix(data, split.test())});
            }
            List<CandidateResult> results = new ArrayList<>(candidates.size());
            CandidateResult best = null;
            Hyperparameters bestParams = null;
            float[] bestOof = null;
            for (int c = 0; c < candidates.size(); c++) {
                Hyperparameters candidate = candidates.get(c);
                long started = System.nanoTime();
                float[] oof = new float[trainRows.length];
                List<CandidateResult.Fold> foldMetrics = new ArrayList<>(folds);
                for (int f = 0; f < folds; f++) {
                    cancellation.check();
                    StratifiedSplit.Split split = splits.get(f);
                    Booster booster = trainer.train(candidate, matrices.get(f)[0], cancellation);
                    try {
                        float[] p = XgbTrainer.predict(booster, matrices.get(f)[1]);
                        BinaryMetrics m = BinaryMetrics.of(p, data.labelsOf(split.test()), 0.5);
                        foldMetrics.add(new CandidateResult.Fold(f, m.accuracy(), m.precision(), m.recall(), m.f1(), m.rocAuc()));
                        for (int i = 0; i < p.length; i++) {
                            oof[position[split.test()[i]]] = p[i];
                        }
                    } finally {
                        booster.dispose();
                    }
                }
                CandidateResult result = summarise(c, candidate, foldMetrics, (System.nanoTime() - started) / 1_000_000);
                results.add(result);
                if (best == null || result.meanF1() > best.meanF1()) {
                    best = result;
                    bestParams = candidate;
                    bestOof = oof;
                }
                listener.candidateFinished(result, best, c + 1, candidates.size());
            }
            Objects.requireNonNull(best, "no candidates");
            return new Outcome(results, best, bestParams, bestOof, data.labelsOf(trainRows));
        } finally {
            for (DMatrix[] pair : matrices) {
                pair[0].dispose();
                pair[1].dispose();
            }
        }
    }

    private static CandidateResult summarise(int index, Hyperparameters candidate, List<CandidateResult.Fold> folds,
                                             long durationMs) {
        double meanF1 = folds.stream().mapToDouble(CandidateResult.Fold::f1).average().orElse(0);
        double variance = folds.stream().mapToDouble(f -> (f.f1() - meanF1) * (f.f1() - meanF1)).average().orElse(0);
        double meanAccuracy = folds.stream().mapToDouble(CandidateResult.Fold::accuracy).average().orElse(0);
        Double meanAuc = folds.stream().allMatch(f -> f.rocAuc() != null)
                ? folds.stream().mapToDouble(CandidateResult.Fold::rocAuc).average().orElse(0) : null;
        return new CandidateResult(index, candidate.family(), candidate.describe(), folds, meanF1, Math.sqrt(variance),
                meanAuc, meanAccuracy, durationMs);
    }
}
