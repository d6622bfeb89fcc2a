package dev.keel.training.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.data.EncodedDataset;
import dev.keel.training.data.HeartData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every family, trained by real xgboost4j on generated heart data, must learn something. */
class ModelFamiliesTest {

    private static EncodedDataset data;
    private static StratifiedSplit.Split split;

    @BeforeAll
    static void generate() {
        data = HeartData.encoded(1_500, 11);
        split = StratifiedSplit.trainTest(data.labelsAsInts(), StratifiedSplit.all(data.rows()), 0.2, 42);
    }

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void eachFamilyBeatsTheMajorityClassBaselineOnHeldOutRows(ModelFamily family) {
        XgbTrainer trainer = new XgbTrainer(1, 42);
        Hyperparameters params = new SearchSpace(0.5).grid(family).get(0);
        FinalModel model = FinalModel.fit(trainer, data, split.train(), split.test(), params, 0.5, Cancellation.NEVER);

        double majority = BinaryMetrics.majorityAccuracy(model.testLabels());
        assertThat(model.testMetrics().accuracy()).as("%s accuracy vs majority %s", family, majority)
                .isGreaterThan(majority + 0.05);
        assertThat(model.testMetrics().rocAuc()).isGreaterThan(0.75);
        assertThat(model.testMetrics().f1()).isGreaterThan(0.5);
        assertThat(new String(model.artifact())).contains("\"feature_names\":[\"age\",\"sex\"");
    }

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void eachFamilysDefaultGridHasEightPoints(ModelFamily family) {
        List<Hyperparameters> grid = new SearchSpace(1).grid(family);
        assertThat(grid).hasSize(8).doesNotHaveDuplicates().allMatch(h -> h.family() == family);
    }
}
