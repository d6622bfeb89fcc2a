package dev.keel.training.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.common.model.XgbModel;
import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.EncodedDataset;
import dev.keel.training.data.HeartData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The artifact a run registers is what inference serves with Keel's pure-Java runtime: for every
 * family, the runtime must read the model, see the same inputs in the same order, and give
 * xgboost4j's probabilities, categorical and missing values included.
 */
class RuntimeParityTest {

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void theSavedModelPredictsTheSameInThePureJavaRuntime(ModelFamily family) {
        String csv = HeartData.csv(400, 8).replaceFirst("thal,target", "thal,smoker,target");
        StringBuilder withCategory = new StringBuilder();
        String[] lines = csv.split("\n");
        withCategory.append(lines[0]).append('\n');
        String[] smoker = {"never", "former", "current", ""};
        for (int i = 1; i < lines.length; i++) {
            // every seventh row misses its cholesterol, to exercise missing values
            String row = i % 7 == 0 ? lines[i].replaceFirst("^((?:[^,]*,){4})[^,]*", "$1") : lines[i];
            int cut = row.lastIndexOf(',');
            withCategory.append(row, 0, cut).append(',').append(smoker[i % 4]).append(row.substring(cut)).append('\n');
        }
        EncodedDataset data = HeartData.encode(withCategory.toString());
        assertThat(data.features().get(13)).isEqualTo(ColumnSpec.categorical("smoker", java.util.List.of("current", "former", "never")));
        int[] all = StratifiedSplit.all(data.rows());

        FinalModel model = FinalModel.fit(new XgbTrainer(1, 42), data, all, all, new SearchSpace(0.3).grid(family).get(1),
                0.5, Cancellation.NEVER);
        XgbModel runtime = XgbModel.load(model.artifact());

        assertThat(runtime.featureNames()).containsExactlyElementsOf(data.features().stream().map(ColumnSpec::name).toList());
        float[] row = new float[data.width()];
        for (int r = 0; r < data.rows(); r++) {
            for (int f = 0; f < data.width(); f++) {
                row[f] = data.value(r, f);
            }
            assertThat(runtime.predictValue(row)).as("%s row %d", family, r)
                    .isCloseTo(model.testProbabilities()[r], org.assertj.core.api.Assertions.within(1e-6f));
        }
    }
}
