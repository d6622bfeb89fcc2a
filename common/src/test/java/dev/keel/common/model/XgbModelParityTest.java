package dev.keel.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime predicts what native XGBoost (xgboost4j 3.4) predicts, for every model family Keel
 * trains, on rows with and without missing values, and explains predictions with the same SHAP
 * values.
 */
class XgbModelParityTest {

    private static final System.Logger LOG = System.getLogger(XgbModelParityTest.class.getName());

    private static final double PROBABILITY_TOLERANCE = 1e-6;
    private static final double CONTRIBUTION_TOLERANCE = 1e-5;

    private static final SyntheticTable TRAIN = SyntheticTable.generate(3000, 1);
    private static final SyntheticTable TEST = SyntheticTable.generate(1500, 99);

    /** The model families the runtime must serve, each trained the way Keel's trainer would. */
    enum Family {
        DEPTHWISE("binary:logistic", 60, Map.of("max_depth", 6, "eta", 0.1, "tree_method", "hist", "max_bin", 1024)),
        LOSSGUIDE("binary:logistic", 60, Map.of("tree_method", "hist", "grow_policy", "lossguide", "max_leaves", 24,
                "max_depth", 0, "eta", 0.1)),
        RANDOM_FOREST("binary:logistic", 1, Map.of("num_parallel_tree", 50, "subsample", 0.8, "colsample_bynode", 0.8,
                "eta", 1.0, "max_depth", 5, "tree_method", "hist")),
        CATEGORICAL("binary:logistic", 40, Map.of("max_depth", 5, "eta", 0.2, "tree_method", "hist", "max_cat_to_onehot", 3)),
        LINEAR("binary:logistic", 30, Map.of("booster", "gblinear", "eta", 0.3)),
        SOFTPROB("multi:softprob", 20, Map.of("num_class", 3, "max_depth", 5, "eta", 0.3)),
        LINEAR_SOFTPROB("multi:softprob", 20, Map.of("booster", "gblinear", "num_class", 3, "eta", 0.3)),
        REGRESSION("reg:squarederror", 50, Map.of("max_depth", 6, "eta", 0.1));

        final String objective;
        final int rounds;
        final Map<String, Object> params;

        Family(String objective, int rounds, Map<String, Object> params) {
            this.objective = objective;
            this.rounds = rounds;
            this.params = params;
        }

        boolean isLinear() {
            return "gblinear".equals(params.get("booster"));
        }

        float[] labels(SyntheticTable table) {
            return switch (objective) {
                case "multi:softprob" -> table.classLabels();
                case "reg:squarederror" -> table.regressionLabels();
                default -> table.binaryLabels(5);
            };
        }

        String[] featureTypes() {
            // Columns 1, 3 and 5 hold 4, 2 and 10 codes: one-hot style and partition splits both occur.
            return this == CATEGORICAL ? new String[] {"q", "c", "q", "c", "q", "c", "q", "q"} : null;
        }
    }

    private record Trained(Xgboost4jReference reference, XgbModel model) {
    }

    private static final Map<Family, Trained> TRAINED = new EnumMap<>(Family.class);

    @BeforeAll
    static void testRowsIncludeMissingValues() {
        int withMissing = 0;
        for (int r = 0; r < TEST.nRows(); r++) {
            withMissing += TEST.hasMissing(r) ? 1 : 0;
        }
        assertThat(withMissing).as("test rows with a missing value").isGreaterThan(300);
    }

    @AfterAll
    static void disposeBoosters() {
        TRAINED.values().forEach(t -> t.reference().close());
        TRAINED.clear();
    }

    private static synchronized Trained trained(Family family) throws Exception {
        Trained trained = TRAINED.get(family);
        if (trained == null) {
            Map<String, Object> params = new java.util.HashMap<>(family.params);
            params.put("objective", family.objective);
            // Every other family stores feature names, so models without names are covered too.
            boolean named = family.ordinal() % 2 == 0;
            Xgboost4jReference reference = Xgboost4jReference.train(TRAIN, family.labels(TRAIN), params, family.rounds,
                    family.featureTypes(), named);
            trained = new Trained(reference, XgbModel.load(reference.json()));
            TRAINED.put(family, trained);
        }
        return trained;
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void predictsWhatXgboost4jPredicts(Family family) throws Exception {
        Trained t = trained(family);
        float[][] expected = t.reference().predict(TEST);
        int width = t.model().outputWidth();
        assertThat(expected[0]).hasSize(width);

        double maxDiff = 0;
        for (int r = 0; r < TEST.nRows(); r++) {
            float[] actual = t.model().predict(TEST.row(r));
            for (int k = 0; k < width; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[k] - expected[r][k]));
            }
        }
        LOG.log(Level.INFO, "{0}: max |prediction - xgboost4j| = {1} over {2} rows", family, String.format("%.2e", maxDiff), TEST.nRows());
        assertThat(maxDiff).isLessThanOrEqualTo(PROBABILITY_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aModelSavedAsUbjsonIsTheSameModelAsItsJson(Family family) throws Exception {
        Trained t = trained(family);
        byte[] ubjson = t.reference().ubjson();
        assertThat(XgbUbjson.looksLike(ubjson)).isTrue();
        assertThat(XgbUbjson.looksLike(t.reference().json())).isFalse();
        XgbModel fromUbjson = XgbModel.load(ubjson);
        XgbModel fromConvertedJson = XgbModel.load(XgbUbjson.toJson(ubjson));
        XgbModel fromStream = XgbModel.load(new java.io.ByteArrayInputStream(ubjson));
        assertThat(fromUbjson).hasToString(t.model().toString());
        assertThat(fromUbjson.featureNames()).isEqualTo(t.model().featureNames());
        for (int r = 0; r < TEST.nRows(); r++) {
            float[] expected = t.model().predictMargin(TEST.row(r));
            assertThat(fromUbjson.predictMargin(TEST.row(r))).as("row %d", r).containsExactly(expected);
            assertThat(fromConvertedJson.predictMargin(TEST.row(r))).as("row %d, through JSON", r).containsExactly(expected);
            assertThat(fromStream.predictMargin(TEST.row(r))).as("row %d, from a stream", r).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void computesTheSameMarginsAsXgboost4j(Family family) throws Exception {
        Trained t = trained(family);
        float[][] expected = t.reference().predictMargin(TEST);
        double maxDiff = 0;
        for (int r = 0; r < TEST.nRows(); r++) {
            float[] actual = t.model().predictMargin(TEST.row(r));
            for (int g = 0; g < actual.length; g++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[g] - expected[r][g]));
            }
        }
        LOG.log(Level.INFO, "{0}: max |margin - xgboost4j| = {1}", family, String.format("%.2e", maxDiff));
        assertThat(maxDiff).isLessThanOrEqualTo(PROBABILITY_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void batchPredictionEqualsRowByRowPrediction(Family family) throws Exception {
        XgbModel model = trained(family).model();
        int width = model.outputWidth();
        float[] batch = new float[TEST.nRows() * model.numOutputGroups()];
        model.predictBatch(TEST.values(), TEST.nRows(), batch);
        for (int r = 0; r < TEST.nRows(); r++) {
            float[] single = model.predict(TEST.row(r));
            for (int k = 0; k < width; k++) {
                assertThat(batch[r * width + k]).as("row %d output %d", r, k).isEqualTo(single[k]);
            }
        }
        float[][] rows = new float[TEST.nRows()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = TEST.row(r);
        }
        float[] fromArrays = new float[batch.length];
        model.predictBatch(rows, fromArrays);
        assertThat(fromArrays).containsExactly(batch);
    }

    /** SHAP values agree with xgboost4j's predictContrib, and each group's values sum to its margin. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void explainsWithTheSameShapValuesAsXgboost4j(Family family) throws Exception {
        Trained t = trained(family);
        float[][] expected = t.reference().contributions(TEST);
        int columns = t.model().numFeatures() + 1;
        assertThat(expected[0]).hasSize(t.model().numOutputGroups() * columns);

        double maxDiff = 0;
        double maxGap = 0;
        for (int r = 0; r < TEST.nRows(); r++) {
            float[] row = TEST.row(r);
            double[] actual = t.model().contributions(row);
            for (int k = 0; k < actual.length; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[k] - expected[r][k]));
            }
            float[] margins = t.model().predictMargin(row);
            for (int g = 0; g < margins.length; g++) {
                double sum = 0;
                for (int f = 0; f < columns; f++) {
                    sum += actual[g * columns + f];
                }
                maxGap = Math.max(maxGap, Math.abs(sum - margins[g]));
            }
        }
        LOG.log(Level.INFO, "{0}: max |contribution - xgboost4j predictContrib| = {1}, max |sum - margin| = {2}",
                family, String.format("%.2e", maxDiff), String.format("%.2e", maxGap));
        assertThat(maxDiff).as("max |contribution - predictContrib|").isLessThanOrEqualTo(CONTRIBUTION_TOLERANCE);
        assertThat(maxGap).as("max |sum of contributions - margin|").isLessThanOrEqualTo(CONTRIBUTION_TOLERANCE);
    }

    @Test
    void categoricalModelsSplitOnCategorySets() throws Exception {
        XgbModel model = trained(Family.CATEGORICAL).model();
        assertThat(model.featureTypes()).containsExactly("q", "c", "q", "c", "q", "c", "q", "q");
        assertThat(model.schema().isCategorical(5)).isTrue();
        String json = new String(trained(Family.CATEGORICAL).reference().json(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).as("the reference model really has categorical splits").contains("\"split_type\":[1");
    }

    @Test
    void exposesTheModelsDescription() throws Exception {
        XgbModel named = trained(Family.DEPTHWISE).model();
        assertThat(named.booster()).isEqualTo("gbtree");
        assertThat(named.objective()).isEqualTo(Objective.BINARY_LOGISTIC);
        assertThat(named.numFeatures()).isEqualTo(8);
        assertThat(named.featureNames()).containsExactly("x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7");
        assertThat(named.featureTypes()).containsOnly(FeatureSchema.DEFAULT_TYPE);
        assertThat(named.numOutputGroups()).isEqualTo(1);
        assertThat(named.numTrees()).isEqualTo(60);
        assertThat(named.xgboostVersion()).isEqualTo("3.4.0");
        // binary:logistic stores base_score as a probability; predictions start from its logit.
        float p = named.baseScore()[0];
        assertThat(p).isBetween(0.3f, 0.7f);
        assertThat(named.baseMargins()[0]).isCloseTo((float) Math.log(p / (1 - p)), org.assertj.core.data.Offset.offset(1e-5f));

        XgbModel unnamed = trained(Family.LOSSGUIDE).model();
        assertThat(unnamed.featureNames()).containsExactly("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");

        XgbModel forest = trained(Family.RANDOM_FOREST).model();
        assertThat(forest.numTrees()).isEqualTo(50);

        XgbModel softprob = trained(Family.SOFTPROB).model();
        assertThat(softprob.numOutputGroups()).isEqualTo(3);
        assertThat(softprob.outputWidth()).isEqualTo(3);
        assertThat(trained(Family.LINEAR).model().booster()).isEqualTo("gblinear");
    }

    /** Every objective the runtime accepts, on a small model each: outputs agree with xgboost4j. */
    @ParameterizedTest
    @ValueSource(strings = {"reg:squarederror", "reg:linear", "reg:squaredlogerror", "reg:pseudohubererror",
            "reg:absoluteerror", "reg:logistic", "binary:logitraw", "count:poisson", "reg:gamma", "reg:tweedie",
            "multi:softmax"})
    void servesEveryObjectiveItAccepts(String objective) throws Exception {
        float[] labels = switch (objective) {
            case "reg:logistic" -> TRAIN.probabilityLabels();
            case "binary:logitraw" -> TRAIN.binaryLabels(5);
            case "count:poisson", "reg:gamma", "reg:tweedie", "reg:squaredlogerror" -> TRAIN.positiveLabels();
            case "multi:softmax" -> TRAIN.classLabels();
            default -> TRAIN.regressionLabels();
        };
        Map<String, Object> params = new java.util.HashMap<>(Map.of("objective", objective, "max_depth", 4, "eta", 0.3));
        if (objective.equals("multi:softmax")) {
            params.put("num_class", 3);
        }
        try (Xgboost4jReference reference = Xgboost4jReference.train(TRAIN, labels, params, 15, null, false)) {
            XgbModel model = XgbModel.load(reference.json());
            // XGBoost saves the deprecated reg:linear under its current name.
            assertThat(model.objective().xgboostName()).isEqualTo(objective.equals("reg:linear") ? "reg:squarederror" : objective);
            float[][] expected = reference.predict(TEST);
            double maxRelative = 0;
            for (int r = 0; r < TEST.nRows(); r++) {
                float[] actual = model.predict(TEST.row(r));
                assertThat(actual).hasSize(expected[r].length);
                for (int k = 0; k < actual.length; k++) {
                    maxRelative = Math.max(maxRelative, Math.abs(actual[k] - expected[r][k]) / Math.max(1, Math.abs(expected[r][k])));
                }
            }
            assertThat(maxRelative).isLessThanOrEqualTo(PROBABILITY_TOLERANCE);
        }
    }
}
