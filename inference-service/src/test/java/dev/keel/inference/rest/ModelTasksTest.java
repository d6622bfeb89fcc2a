package dev.keel.inference.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A multi-class and a regression model are served as xgboost4j itself predicts them, over both
 * protocols, with no decision threshold, and logged with what they answered.
 */
@QuarkusTest
class ModelTasksTest {

    private static final byte[] CLASSES = TestModels.trainMulticlass(15, 11);
    private static final byte[] REGRESSION = TestModels.trainRegression(15, 12);

    @Inject
    DataSource dataSource;

    @Test
    void aMultiClassModelAnswersItsWinningClassAndEveryClassesProbability() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "classes", 1, CLASSES);
        List<Map<String, Object>> rows = PredictResourceTest.rows();
        float[][] expected = TestModels.xgboostPredict(CLASSES, codes(rows));
        for (int i = 0; i < rows.size(); i++) {
            Response r = predict(project, "classes", rows.get(i));
            r.then().statusCode(200).body("$", not(hasKey("threshold")));
            List<Float> probabilities = r.jsonPath().getList("probabilities", Float.class);
            assertThat(probabilities).hasSize(3);
            for (int k = 0; k < 3; k++) {
                assertThat((double) probabilities.get(k)).isCloseTo(expected[i][k], within(1e-6));
            }
            int best = TestModels.argmax(expected[i]);
            assertThat(r.jsonPath().getDouble("prediction")).isEqualTo(best);
            assertThat(r.jsonPath().getDouble("probability")).isCloseTo(expected[i][best], within(1e-6));
        }
        assertThat(Arrays.stream(expected).mapToInt(TestModels::argmax).distinct().count())
                .as("the rows reach more than one class").isGreaterThan(1);

        Response v2 = infer(project, "classes", rows.get(0));
        v2.then().statusCode(200).body("outputs[1].name", equalTo("predict_proba"))
                .body("parameters", not(hasKey("decision_threshold")));
        List<Float> proba = v2.jsonPath().getList("outputs[1].data", Float.class);
        for (int k = 0; k < 3; k++) {
            assertThat((double) proba.get(k)).isCloseTo(expected[0][k], within(1e-6));
        }

        String id = predict(project, "classes", rows.get(2)).jsonPath().getString("request_id");
        Logged logged = awaitLogged(id);
        assertThat(logged.prediction()).isEqualTo(TestModels.argmax(expected[2]));
        assertThat(logged.outputs()).startsWith("[").contains(",");
        assertThat(logged.probability()).isCloseTo(expected[2][TestModels.argmax(expected[2])], within(1e-6));
    }

    @Test
    void aMultiClassExplanationIsXgboostsOwnForEveryClassAndNamesThePredictedOnes() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "explained", 1, CLASSES);
        List<Map<String, Object>> rows = PredictResourceTest.rows();
        float[][] contribs = TestModels.xgboostContributions(CLASSES, codes(rows));
        float[][] probabilities = TestModels.xgboostPredict(CLASSES, codes(rows));
        int width = TestModels.FEATURES.size() + 1;
        for (int i = 0; i < rows.size(); i++) {
            Response r = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                    .body(Map.of("model", "explained", "features", rows.get(i))).post("/api/v1/predict?explain=true");
            r.then().statusCode(200).body("class_contributions.size()", equalTo(3));
            int best = TestModels.argmax(probabilities[i]);
            for (int k = 0; k < 3; k++) {
                Map<String, Float> byFeature = r.jsonPath().getMap("class_contributions[" + k + "]");
                for (int f = 0; f < TestModels.FEATURES.size(); f++) {
                    assertThat((double) byFeature.get(TestModels.FEATURES.get(f))).as("row %d class %d %s", i, k,
                            TestModels.FEATURES.get(f)).isCloseTo(contribs[i][k * width + f], within(1e-5));
                }
                assertThat((double) byFeature.get("bias")).isCloseTo(contribs[i][k * width + width - 1], within(1e-5));
            }
            // softmax over the classes' sums gives back the probabilities: each sums to its class's margin
            double[] margins = new double[3];
            double total = 0;
            for (int k = 0; k < 3; k++) {
                margins[k] = r.jsonPath().getMap("class_contributions[" + k + "]", String.class, Float.class).values()
                        .stream().mapToDouble(Float::doubleValue).sum();
                total += Math.exp(margins[k]);
            }
            for (int k = 0; k < 3; k++) {
                assertThat(Math.exp(margins[k]) / total).isCloseTo(probabilities[i][k], within(1e-5));
            }
            assertThat(r.jsonPath().getMap("contributions")).as("the predicted class's")
                    .isEqualTo(r.jsonPath().getMap("class_contributions[" + best + "]"));
        }
        Response batch = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "explained", "instances", rows)).post("/api/v1/predict/batch?explain=true");
        batch.then().statusCode(200).body("predictions[0].class_contributions.size()", equalTo(3));
        // without explain, nothing of it
        predict(project, "explained", rows.get(0)).then().statusCode(200)
                .body("$", not(hasKey("contributions"))).body("$", not(hasKey("class_contributions")));

        // multi:softmax answers the class index alone; its explanation is the same per-class one
        byte[] softmax = TestModels.trainMulticlassSoftmax(15, 11);
        TestProjects.Project other = ServingFixture.projectServing(dataSource, "explained", 1, softmax);
        float[][] softmaxContribs = TestModels.xgboostContributions(softmax, codes(rows));
        float[][] softmaxClasses = TestModels.xgboostPredict(softmax, codes(rows));
        for (int i = 0; i < rows.size(); i++) {
            Response r = given().header("Authorization", "Bearer " + other.readKey()).contentType(ContentType.JSON)
                    .body(Map.of("model", "explained", "features", rows.get(i))).post("/api/v1/predict?explain=true");
            r.then().statusCode(200).body("class_contributions.size()", equalTo(3)).body("$", not(hasKey("probability")));
            int predicted = (int) r.jsonPath().getDouble("prediction");
            assertThat(predicted).isEqualTo((int) softmaxClasses[i][0]);
            assertThat(r.jsonPath().getMap("contributions")).isEqualTo(r.jsonPath().getMap("class_contributions[" + predicted + "]"));
            assertThat((double) r.jsonPath().getFloat("class_contributions[2].age")).isCloseTo(softmaxContribs[i][2 * width], within(1e-5));
        }
    }

    @Test
    void aRegressionModelAnswersItsValueWithoutProbabilityOrThreshold() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "score", 1, REGRESSION);
        List<Map<String, Object>> rows = PredictResourceTest.rows();
        float[][] expected = TestModels.xgboostPredict(REGRESSION, codes(rows));
        for (int i = 0; i < rows.size(); i++) {
            Response r = predict(project, "score", rows.get(i));
            r.then().statusCode(200).body("$", not(hasKey("threshold"))).body("$", not(hasKey("probability")));
            assertThat(r.jsonPath().getDouble("prediction")).isCloseTo(expected[i][0], within(1e-5));
        }
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "score", "instances", rows)).post("/api/v1/predict/batch")
                .then().statusCode(200).body("$", not(hasKey("threshold")));

        Response v2 = infer(project, "score", rows.get(1));
        v2.then().statusCode(200).body("outputs.size()", equalTo(1)).body("outputs[0].name", equalTo("predict"))
                .body("outputs[0].datatype", equalTo("FP64"));
        assertThat(v2.jsonPath().getDouble("outputs[0].data[0]")).isCloseTo(expected[1][0], within(1e-5));

        String id = predict(project, "score", rows.get(3)).jsonPath().getString("request_id");
        Logged logged = awaitLogged(id);
        assertThat(logged.prediction()).isCloseTo(expected[3][0], within(1e-5));
        assertThat(logged.probability()).isNull();
        assertThat(logged.outputs()).isNull();
    }

    private record Logged(double prediction, Double probability, String outputs) {
    }

    private Logged awaitLogged(String requestId) {
        Logged[] found = new Logged[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT prediction, probability, outputs::text FROM predictions WHERE request_id = ?::uuid")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    double probability = rs.getDouble(2);
                    Double nullable = rs.wasNull() ? null : probability;
                    found[0] = new Logged(rs.getDouble(1), nullable, rs.getString(3));
                    return true;
                }
            }
        });
        return found[0];
    }

    /** The rows as (age, chol, sex, cp code), as the model takes them. */
    private static float[][] codes(List<Map<String, Object>> rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = PredictResourceTest.encoded(rows.get(i));
            out[i] = new float[TestModels.FEATURES.size()];
            for (int f = 0; f < out[i].length; f++) {
                Object v = row.get(TestModels.FEATURES.get(f));
                out[i][f] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).floatValue();
            }
        }
        return out;
    }

    private static Response predict(TestProjects.Project project, String model, Map<String, Object> features) {
        return given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", model, "features", features)).post("/api/v1/predict");
    }

    private static Response infer(TestProjects.Project project, String model, Map<String, Object> row) {
        Map<String, Object> encoded = PredictResourceTest.encoded(row);
        List<Object> values = TestModels.FEATURES.stream().map(f -> encoded.get(f) instanceof Boolean b ? (b ? 1 : 0)
                : encoded.get(f)).toList();
        return given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(Map.of("name", "input-0", "datatype", "FP64", "shape", List.of(1, 4),
                        "data", values))))
                .post("/v2/models/" + model + "/infer");
    }
}
