package dev.keel.training.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.data.EncodedDataset;
import dev.keel.training.data.HeartData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelSearchTest {

    private final XgbTrainer trainer = new XgbTrainer(1, 42);

    @Test
    void theSearchPicksTheCandidateWithTheBestMeanFoldF1AndKeepsItsOutOfFoldPredictions() {
        EncodedDataset data = HeartData.encoded(500, 5);
        int[] train = StratifiedSplit.trainTest(data.labelsAsInts(), StratifiedSplit.all(data.rows()), 0.2, 1).train();
        List<Hyperparameters> candidates = List.of(
                new Hyperparameters.GradientBoosting(1, 0.01, 2, 1, 1, 50),
                new Hyperparameters.GradientBoosting(3, 0.1, 40, 0.9, 0.9, 1),
                new Hyperparameters.RandomForest(20, 6, 0.8, 0.6));
        List<Integer> progress = new ArrayList<>();

        ModelSearch.Outcome outcome = new ModelSearch(trainer).run(data, train, candidates, 5, 42, Cancellation.NEVER,
                (result, best, done, total) -> progress.add(done));

        assertThat(progress).containsExactly(1, 2, 3);
        assertThat(outcome.candidates()).hasSize(3).allSatisfy(c -> assertThat(c.folds()).hasSize(5));
        double best = outcome.candidates().stream().mapToDouble(CandidateResult::meanF1).max().orElseThrow();
        assertThat(outcome.best().meanF1()).isEqualTo(best);
        assertThat(outcome.bestParams()).isEqualTo(candidates.get(outcome.best().index()));
        assertThat(outcome.outOfFoldProbabilities()).hasSize(train.length);
        // the out-of-fold predictions reproduce the winner's fold F1 scores, fold by fold
        List<StratifiedSplit.Split> folds = StratifiedSplit.kFold(data.labelsAsInts(), train, 5, 42);
        int[] position = new int[data.rows()];
        for (int i = 0; i < train.length; i++) {
            position[train[i]] = i;
        }
        for (int f = 0; f < 5; f++) {
            int[] rows = folds.get(f).test();
            float[] p = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                p[i] = outcome.outOfFoldProbabilities()[position[rows[i]]];
            }
            assertThat(BinaryMetrics.of(p, data.labelsOf(rows), 0.5).f1()).isEqualTo(outcome.best().folds().get(f).f1());
        }
    }

    @Test
    void aCancelledSearchStopsBetweenBoostingRounds() {
        EncodedDataset data = HeartData.encoded(300, 6);
        AtomicInteger asked = new AtomicInteger();
        Cancellation afterTenRounds = () -> asked.incrementAndGet() > 10;

        assertThatThrownBy(() -> new ModelSearch(trainer).run(data, StratifiedSplit.all(data.rows()),
                List.of(new Hyperparameters.GradientBoosting(3, 0.1, 1000, 1, 1, 1)), 5, 1, afterTenRounds, (r, b, d, t) -> { }))
                .isInstanceOf(Cancellation.CancelledException.class);
        assertThat(asked.get()).isEqualTo(11);
    }
}
