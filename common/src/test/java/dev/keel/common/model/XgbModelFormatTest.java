package dev.keel.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What the runtime accepts and how it refuses: corrupt or foreign documents fail with a
 * {@link ModelFormatException} that says exactly what is wrong, and the less common parts of the
 * format (categorical splits, array-valued base_score) mean what XGBoost means by them.
 */
class XgbModelFormatTest {

    private static final String PYTHON_MODEL = "model/heart-python-xgb1.7.json";
    private static final String CATEGORICAL_MODEL = "model/hand-made-categorical.json";

    @Test
    void rejectsBytesThatAreNotJson() {
        assertThatThrownBy(() -> XgbModel.load("binf\u0000\u0001 not json".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("neither XGBoost's JSON nor its UBJSON");
    }

    @Test
    void rejectsUbjsonThatIsCutShortOrClaimsMoreThanItHolds() {
        // {"learner": [...]} with the array cut after its first element
        byte[] cut = {'{', 'i', 7, 'l', 'e', 'a', 'r', 'n', 'e', 'r', '[', 'i', 1};
        assertThatThrownBy(() -> XgbModel.load(cut)).isInstanceOf(ModelFormatException.class).hasMessageContaining("cut short");
        // a typed float array claiming two billion values in a dozen bytes
        byte[] claims = {'{', 'i', 1, 'a', '[', '$', 'd', '#', 'l', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, '}'};
        assertThatThrownBy(() -> XgbModel.load(claims)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("claims 2147483647 items");
        byte[] notANumber = {'{', 'i', 1, 'a', 'H', 'i', 3, 'x', 'y', 'z', '}'};
        assertThatThrownBy(() -> XgbModel.load(notANumber)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("high-precision number");
        byte[] unknown = {'{', 'i', 1, 'a', 'Q', '}'};
        assertThatThrownBy(() -> XgbModel.load(unknown)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unknown type marker 0x51");
    }

    @Test
    void rejectsATruncatedFile() {
        byte[] whole = HandMadeModels.bytes(PYTHON_MODEL);
        assertThatThrownBy(() -> XgbModel.load(Arrays.copyOf(whole, whole.length / 2)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("neither XGBoost's JSON nor its UBJSON");
    }

    @Test
    void rejectsJsonThatIsNotAnXgboostModel() {
        assertThatThrownBy(() -> XgbModel.load("{\"name\": \"heart\", \"weights\": [1, 2]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not an XGBoost model");
        assertThatThrownBy(() -> XgbModel.load("[1, 2, 3]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not an XGBoost model");
        assertThatThrownBy(() -> XgbModel.load(new byte[0]))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void rejectsCountsThatWouldSizeArraysBeyondAnyRealModelBeforeAllocatingThem() {
        // a few hundred bytes that claim 200 million features or 2 billion classes: refused, not an OutOfMemoryError
        String features = "{\"learner\": {\"learner_model_param\": {\"num_feature\": \"200000000\", \"base_score\": \"5E-1\"},"
                + " \"objective\": {\"name\": \"binary:logistic\"}, \"gradient_booster\": {\"name\": \"gbtree\", \"model\": {}}}}";
        assertThatThrownBy(() -> XgbModel.load(features.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("num_feature is 200000000; at most 1048576");
        byte[] classes = HandMadeModels.edited(PYTHON_MODEL,
                root -> ((ObjectNode) root.at("/learner/learner_model_param")).put("num_class", "2000000000"));
        assertThatThrownBy(() -> XgbModel.load(classes))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("num_class 2000000000");
    }

    @Test
    void aLinearModelsWeightCountIsCheckedWithoutWrappingAround() {
        // (65535 + 1) x 65536 is 2^32, which an int multiplication turns into 0, the length of no weights at all
        String linear = "{\"learner\": {\"learner_model_param\": {\"num_feature\": \"65535\", \"num_class\": \"65536\","
                + " \"base_score\": \"5E-1\"}, \"objective\": {\"name\": \"multi:softprob\"},"
                + " \"gradient_booster\": {\"name\": \"gblinear\", \"model\": {\"weights\": []}}}}";
        assertThatThrownBy(() -> XgbModel.load(linear.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("= 4294967296");
    }

    @Test
    void rejectsAnUnknownObjectiveByName() {
        byte[] json = HandMadeModels.edited(PYTHON_MODEL,
                root -> ((ObjectNode) root.at("/learner/objective")).put("name", "reg:quantumerror"));
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unsupported objective 'reg:quantumerror'")
                .hasMessageContaining("binary:logistic");
    }

    @Test
    void rejectsAnUnsupportedBooster() {
        byte[] json = HandMadeModels.edited(PYTHON_MODEL,
                root -> ((ObjectNode) root.at("/learner/gradient_booster")).put("name", "dart"));
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unsupported booster 'dart'");
    }

    @Test
    void rejectsTruncatedTreeArrays() {
        byte[] json = HandMadeModels.edited(PYTHON_MODEL, root -> {
            ArrayNode conditions = (ArrayNode) HandMadeModels.firstTree(root).get("split_conditions");
            conditions.remove(conditions.size() - 1);
        });
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tree 0")
                .hasMessageContaining("'split_conditions' has 118 entries, expected 119");
    }

    @Test
    void rejectsAChildIndexOutsideTheTree() {
        byte[] json = HandMadeModels.edited(PYTHON_MODEL,
                root -> ((ArrayNode) HandMadeModels.firstTree(root).get("left_children")).set(0, 500));
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tree 0, node 0: child index 500 is outside 1..118");
    }

    @Test
    void rejectsASplitOnAFeatureTheModelDoesNotHave() {
        byte[] json = HandMadeModels.edited(PYTHON_MODEL,
                root -> ((ArrayNode) HandMadeModels.firstTree(root).get("split_indices")).set(0, 13));
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("split feature 13 is outside 0..12");
    }

    @Test
    void rejectsMissingTrees() {
        byte[] json = HandMadeModels.edited(PYTHON_MODEL, root -> {
            ArrayNode trees = (ArrayNode) root.at("/learner/gradient_booster/model/trees");
            trees.remove(trees.size() - 1);
        });
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("num_trees is 100 but there are 99 trees");
    }

    @Test
    void readsBaseScoreWrittenAsAnArray() {
        XgbModel scalar = XgbModel.load(HandMadeModels.bytes(PYTHON_MODEL));
        XgbModel array = XgbModel.load(HandMadeModels.edited(PYTHON_MODEL,
                root -> ((ObjectNode) root.at("/learner/learner_model_param")).put("base_score", "[5E-1]")));
        XgbModel shifted = XgbModel.load(HandMadeModels.edited(PYTHON_MODEL,
                root -> ((ObjectNode) root.at("/learner/learner_model_param")).put("base_score", "[7.5E-1]")));
        float[] row = {55, 1, 3, 140, 250, 0, 1, 150, 0, 1.5f, 2, 0, 2};
        assertThat(array.predictValue(row)).isEqualTo(scalar.predictValue(row));
        // A base_score of 0.75 adds logit(0.75) = ln 3 to the margin.
        assertThat(shifted.predictMargin(row)[0] - scalar.predictMargin(row)[0]).isCloseTo((float) Math.log(3), within(1e-5f));
    }

    @Test
    void categoricalSplitsSendTheSetRightAndEverythingElseLeft() {
        XgbModel model = HandMadeModels.categorical();
        assertThat(model.predictValue(new float[] {1, 3})).as("in the set, size >= 2.5").isEqualTo(1.0f);
        assertThat(model.predictValue(new float[] {70, 1})).as("in the set past the first 64 codes").isEqualTo(0.5f);
        assertThat(model.predictValue(new float[] {2, 3})).as("not in the set").isEqualTo(-1.5f);
        assertThat(model.predictValue(new float[] {71, 3})).as("beyond the largest code in the set").isEqualTo(-1.5f);
        assertThat(model.predictValue(new float[] {-1, 3})).as("negative codes are invalid").isEqualTo(-1.5f);
        assertThat(model.predictValue(new float[] {1e9f, 3})).as("codes past 2^24 are invalid").isEqualTo(-1.5f);
        assertThat(model.predictValue(new float[] {1.7f, 3})).as("XGBoost truncates codes").isEqualTo(1.0f);
        assertThat(model.predictValue(new float[] {Float.NaN, 3})).as("missing takes the default (left)").isEqualTo(-1.5f);
        assertThat(model.predictValue(new float[] {1, Float.NaN})).as("missing size takes the default (right)").isEqualTo(1.0f);
    }

    @Test
    void contributionsAreTheShapleyValuesOfTheTree() {
        // E[f] = 0.4 * -1.5 + 0.6 * (0.5 * 0.5 + 0.5 * 1.0) = -0.15; for color=1, size=3 the path-dependent
        // value function gives v({color}) = 0.75, v({size}) = 0, v({color, size}) = 1, hence
        // phi(color) = ((0.75 + 0.15) + (1 - 0)) / 2 = 0.95 and phi(size) = ((0 + 0.15) + (1 - 0.75)) / 2 = 0.2.
        double[] contributions = HandMadeModels.categorical().contributions(new float[] {1, 3});
        assertThat(contributions[0]).isCloseTo(0.95, within(1e-12));
        assertThat(contributions[1]).isCloseTo(0.2, within(1e-12));
        assertThat(contributions[2]).isCloseTo(-0.15, within(1e-12));
    }

    @Test
    void rejectsACategoricalSplitWithoutCategories() {
        byte[] json = HandMadeModels.edited(CATEGORICAL_MODEL, root -> {
            ObjectNode tree = HandMadeModels.firstTree(root);
            tree.putArray("categories_nodes");
            tree.putArray("categories_segments");
            tree.putArray("categories_sizes");
            tree.putArray("categories");
        });
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("split_type marks 1 categorical nodes but categories_nodes lists 0");
    }

    @Test
    void rejectsFeatureNamesThatDoNotMatchTheFeatureCount() {
        byte[] json = HandMadeModels.edited(CATEGORICAL_MODEL,
                root -> ((ArrayNode) root.at("/learner/feature_names")).add("weight"));
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("feature_names has 3 names, num_feature is 2");
    }

    @Test
    void rejectsMultiTargetTrees() {
        byte[] json = HandMadeModels.edited(CATEGORICAL_MODEL,
                root -> ((ObjectNode) HandMadeModels.firstTree(root).get("tree_param")).put("size_leaf_vector", "3"));
        assertThatThrownBy(() -> XgbModel.load(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("multi-target");
    }
}
