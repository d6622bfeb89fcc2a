package dev.keel.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model saved by Python XGBoost 1.7 (bench-ref's heart-disease reference model: binary:logistic,
 * 100 trees of depth 6, base_score stored as "5E-1") loads and reproduces Python's own predictions
 * and pred_contribs, recorded in {@code model/heart-python-xgb1.7.golden.json} by
 * {@code model/make_golden.py}.
 */
class XgbModelPythonGoldenTest {

    private static XgbModel model;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = resource("model/heart-python-xgb1.7.json")) {
            model = XgbModel.load(in);
        }
        try (InputStream in = resource("model/heart-python-xgb1.7.golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = XgbModelPythonGoldenTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(in).as(name).isNotNull();
        return in;
    }

    @Test
    void readsThePythonModelsDescription() {
        assertThat(model.xgboostVersion()).isEqualTo("1.7.4");
        assertThat(model.objective()).isEqualTo(Objective.BINARY_LOGISTIC);
        assertThat(model.booster()).isEqualTo("gbtree");
        assertThat(model.numTrees()).isEqualTo(100);
        assertThat(model.featureNames()).containsExactly("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
                "thalach", "exang", "oldpeak", "slope", "ca", "thal");
        // Python 1.7 saved no feature types.
        assertThat(model.featureTypes()).hasSize(13).containsOnly(FeatureSchema.DEFAULT_TYPE);
        assertThat(model.baseScore()).containsExactly(0.5f);
        // logit(0.5) = 0 (XGBoost computes -log(1/p - 1), a negative zero).
        assertThat(Math.abs(model.baseMargins()[0])).isZero();
    }

    @Test
    void reproducesPythonsProbabilitiesAndMargins() {
        JsonNode rows = golden.get("rows");
        assertThat(rows.size()).isEqualTo(300);
        double maxProbability = 0;
        double maxMargin = 0;
        for (int r = 0; r < rows.size(); r++) {
            float[] row = row(rows.get(r));
            maxProbability = Math.max(maxProbability, Math.abs(model.predictValue(row) - golden.get("probability").get(r).floatValue()));
            maxMargin = Math.max(maxMargin, Math.abs(model.predictMargin(row)[0] - golden.get("margin").get(r).floatValue()));
        }
        assertThat(maxProbability).isLessThanOrEqualTo(1e-6);
        assertThat(maxMargin).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void reproducesPythonsContributions() {
        JsonNode rows = golden.get("rows");
        double maxDiff = 0;
        for (int r = 0; r < rows.size(); r++) {
            double[] actual = model.contributions(row(rows.get(r)));
            JsonNode expected = golden.get("contributions").get(r);
            assertThat(actual).hasSize(expected.size());
            for (int k = 0; k < actual.length; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[k] - expected.get(k).doubleValue()));
            }
        }
        assertThat(maxDiff).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void namedFeaturesGiveTheSamePredictionAsTheRow() {
        List<String> names = model.featureNames();
        JsonNode first = golden.get("rows").get(1);
        Map<String, Object> request = new HashMap<>();
        for (int f = 0; f < names.size(); f++) {
            // What a JSON request body would carry: whole numbers as integers.
            double v = first.get(f).doubleValue();
            request.put(names.get(f), v == Math.rint(v) ? (Object) (int) v : (Object) v);
        }
        float[] row = model.toRow(request, MissingValues.REJECT);
        assertThat(model.predictValue(row)).isEqualTo(golden.get("probability").get(1).floatValue());
    }

    private static float[] row(JsonNode values) {
        float[] row = new float[values.size()];
        for (int f = 0; f < row.length; f++) {
            row[f] = values.get(f).isNull() ? Float.NaN : values.get(f).floatValue();
        }
        return row;
    }
}
