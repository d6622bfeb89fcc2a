package dev.keel.inference.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.testing.TestProjects;
import dev.keel.common.text.Sha256;
import dev.keel.inference.service.PredictionIds;
import dev.keel.inference.support.RegistryStub;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A label must fit the model that made the prediction it labels: 0 or 1 for a binary classifier, a
 * class index for a multi-class model, any finite number for regression; otherwise 422 naming the
 * item, and nothing of the call is stored.
 */
@QuarkusTest
class FeedbackLabelsTest {

    private static final byte[] BINARY = TestModels.train(10, 7);
    private static final byte[] SOFTPROB = TestModels.trainMulticlass(10, 11);
    private static final byte[] SOFTMAX = TestModels.trainMulticlassSoftmax(10, 11);
    private static final byte[] REGRESSION = TestModels.trainRegression(10, 12);
    private static final Map<String, Object> ROW = PredictResourceTest.rows().get(0);

    @Inject
    DataSource dataSource;

    @Test
    void aBinaryClassifiersLabelIsZeroOrOne() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "heart", 1, BINARY);
        String id = loggedPrediction(project, "heart");

        for (Object label : List.of(new BigInteger("9223372036854775808"), -1, 1.5, 2, 0.999)) {
            feedback(project, Map.of("request_id", id, "label", label)).statusCode(422)
                    .contentType("application/problem+json")
                    .body("field", equalTo("items[0].label"))
                    .body("detail", containsString("items[0].label: must be 0 or 1"))
                    .body("detail", containsString("heart v1 (binary:logistic)"));
        }
        assertThat(labelOf(project, id)).as("nothing stored").isNull();
        feedback(project, Map.of("request_id", id, "label", 1)).statusCode(200).body("stored", equalTo(1));
        feedback(project, Map.of("request_id", id, "label", 0.0)).statusCode(200).body("stored", equalTo(1));
        assertThat(labelOf(project, id)).isEqualTo(0.0);
    }

    @Test
    void oneLabelThatDoesNotFitRefusesTheWholeCallNamingItsItem() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "heart", 1, BINARY);
        String first = loggedPrediction(project, "heart");
        String second = loggedPrediction(project, "heart");

        feedback(project, Map.of("request_id", first, "label", 1), Map.of("request_id", second, "label", -1))
                .statusCode(422).body("field", equalTo("items[1].label"));
        assertThat(labelOf(project, first)).isNull();
        assertThat(labelOf(project, second)).isNull();
    }

    @Test
    void aMultiClassModelsLabelIsAClassIndex() throws Exception {
        for (byte[] model : List.of(SOFTPROB, SOFTMAX)) {
            TestProjects.Project project = ServingFixture.projectServing(dataSource, "classes", 1, model);
            String id = loggedPrediction(project, "classes");
            for (Object label : List.of(3, -1, 1.5, new BigInteger("9223372036854775808"))) {
                feedback(project, Map.of("request_id", id, "label", label)).statusCode(422)
                        .body("field", equalTo("items[0].label"))
                        .body("detail", containsString("must be a class index, an integer from 0 to 2"))
                        .body("detail", containsString("a multi-class model of 3 classes"));
            }
            for (int label : List.of(0, 1, 2)) {
                feedback(project, Map.of("request_id", id, "label", label)).statusCode(200).body("stored", equalTo(1));
            }
            assertThat(labelOf(project, id)).isEqualTo(2.0);
        }
    }

    @Test
    void aRegressionModelsLabelIsAnyFiniteNumber() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "risk", 1, REGRESSION);
        String id = loggedPrediction(project, "risk");
        for (double label : List.of(-3.75, 1.5, 1e12)) {
            feedback(project, Map.of("request_id", id, "label", label)).statusCode(200).body("stored", equalTo(1));
        }
        assertThat(labelOf(project, id)).isEqualTo(1e12);
        feedback(project, Map.of("request_id", id, "label", "NaN")).statusCode(400).body("field", equalTo("items[0].label"));
    }

    @Test
    void aLabelOfAnEarlierVersionFitsThatVersionNotTheOneServedNow() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "classes", 1, SOFTPROB);
        String id = loggedByARetiredVersion(project, "classes", "multi:softprob", SOFTPROB);

        // v1's objective as the registry recorded it, its three classes as logged
        feedback(project, Map.of("request_id", id, "label", 3)).statusCode(422)
                .body("detail", containsString("classes v1 (multi:softprob), a multi-class model of 3 classes"));
        feedback(project, Map.of("request_id", id, "label", 2)).statusCode(200).body("stored", equalTo(1));
    }

    @Test
    void aRegLogisticModelsLabelIsAnyTargetFromZeroToOne() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "rates", 1, BINARY);
        // served as a probability, trained on targets from 0 to 1: as the registry records such a v1
        String id = loggedByARetiredVersion(project, "rates", "reg:logistic", BINARY);

        feedback(project, Map.of("request_id", id, "label", 1.5)).statusCode(422)
                .body("field", equalTo("items[0].label"))
                .body("detail", containsString("must be from 0 to 1: the prediction was made by rates v1 (reg:logistic)"));
        feedback(project, Map.of("request_id", id, "label", 0.37)).statusCode(200).body("stored", equalTo(1));
        assertThat(labelOf(project, id)).isEqualTo(0.37);
    }

    @Test
    void aLabelForARequestIdNotLoggedYetIsStoredUnchecked() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "heart", 1, BINARY);
        String unlogged = PredictionIds.next().toString();
        feedback(project, Map.of("request_id", unlogged, "label", 7)).statusCode(200).body("stored", equalTo(1));
        assertThat(labelOf(project, unlogged)).isEqualTo(7.0);
    }

    /**
     * A request id v1 (serving, registered with {@code objective}) answered and logged, after v2, a
     * binary classifier, has taken its place: its label is then judged by what the registry recorded.
     */
    private String loggedByARetiredVersion(TestProjects.Project project, String model, String objective, byte[] artifact)
            throws Exception {
        String id = loggedPrediction(project, model);
        register(project, model, 1, objective, artifact);
        register(project, model, 2, "binary:logistic", BINARY);
        RegistryStub.publish(new RegistryStub.Version(project.name(), model, 2, 0.5, BINARY));
        ServingFixture.awaitServing(project, model, 2);
        return id;
    }

    /** A prediction's request id, once its row is in the prediction log. */
    private String loggedPrediction(TestProjects.Project project, String model) {
        String id = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", model, "features", ROW)).post("/api/v1/predict")
                .then().log().ifValidationFails().statusCode(200).extract().path("request_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT 1 FROM predictions WHERE request_id = ?::uuid")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        return id;
    }

    @SafeVarargs
    private static ValidatableResponse feedback(TestProjects.Project project, Map<String, Object>... items) {
        return given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(items))).post("/api/v1/feedback").then().log().ifValidationFails();
    }

    private Double labelOf(TestProjects.Project project, String requestId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT label FROM feedback WHERE request_id = ?::uuid AND project_id = ?")) {
            ps.setString(1, requestId);
            ps.setLong(2, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : null;
            }
        }
    }

    /** The registry's rows of a version, as registry-service writes them (the objective in params). */
    private void register(TestProjects.Project project, String model, int version, String objective, byte[] artifact)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO registered_models (project_id, name) VALUES (?, ?) "
                    + "ON CONFLICT DO NOTHING")) {
                ps.setLong(1, project.id());
                ps.setString(2, model);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO model_versions (model_id, version, algorithm, params, artifact_sha256, artifact_size, created_by)
                    SELECT id, ?, 'xgboost-gbtree', jsonb_build_object('objective', ?::text), ?, ?, 'test'
                    FROM registered_models WHERE project_id = ? AND name = ?""")) {
                ps.setInt(1, version);
                ps.setString(2, objective);
                ps.setString(3, Sha256.hex(artifact));
                ps.setLong(4, artifact.length);
                ps.setLong(5, project.id());
                ps.setString(6, model);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
    }
}
