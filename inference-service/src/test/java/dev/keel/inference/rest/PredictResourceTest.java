package dev.keel.inference.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasSize;

import dev.keel.common.model.MissingValues;
import dev.keel.common.model.XgbModel;
import dev.keel.common.testing.TestProjects;
import dev.keel.common.text.Sha256;
import dev.keel.inference.support.RegistryStub;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PredictResourceTest {

    private static final byte[] MODEL = TestModels.train(20, 7);
    private static final XgbModel RUNTIME = XgbModel.load(MODEL);

    @Inject
    DataSource dataSource;
    @Inject
    dev.keel.inference.log.RejectedRows rejected;

    private TestProjects.Project project;

    @BeforeEach
    void serveTheModel() throws Exception {
        project = ServingFixture.projectServing(dataSource, "heart", 1, MODEL);
    }

    @Test
    void aPredictionIsTheRuntimesProbabilityAndTheThresholdedLabel() {
        for (Map<String, Object> row : rows()) {
            Response r = predict(project.readKey(), Map.of("model", "heart", "features", row));
            r.then().statusCode(200).body("model", equalTo("heart")).body("version", equalTo(1))
                    .body("threshold", equalTo(0.5f));
            double expected = RUNTIME.predict(RUNTIME.toRow(encoded(row), MissingValues.REJECT))[0];
            assertThat(r.jsonPath().getDouble("probability")).isCloseTo(expected, within(1e-7));
            assertThat(r.jsonPath().getDouble("prediction")).isEqualTo(expected >= 0.5 ? 1.0 : 0.0);
            assertThat(UUID.fromString(r.jsonPath().getString("request_id"))).isNotNull();
        }
    }

    @Test
    void withoutTheSwitchNoLogLineCarriesAPredictionsFeatures() {
        java.util.logging.Logger lines = java.util.logging.Logger.getLogger(dev.keel.inference.service.PredictionTrace.CATEGORY);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                seen.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        lines.addHandler(handler);
        try {
            predict(project.readKey(), Map.of("model", "heart", "features", rows().get(0))).then().statusCode(200);
            given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                    .body(Map.of("model", "heart", "instances", rows())).post("/api/v1/predict/batch").then().statusCode(200);
        } finally {
            lines.removeHandler(handler);
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void everyResponseCarriesARequestIdTheCallersOwnIfItSentOne() {
        Map<String, Object> body = Map.of("model", "heart", "features", rows().get(0));
        Response own = predict(project.readKey(), body);
        own.then().statusCode(200);
        assertThat(own.header("X-Request-Id")).isEqualTo(own.jsonPath().getString("request_id"));

        given().header("Authorization", "Bearer " + project.readKey()).header("X-Request-Id", "trace-7f3a")
                .contentType(ContentType.JSON).body(body).post("/api/v1/predict")
                .then().statusCode(200).header("X-Request-Id", "trace-7f3a");

        Response batch = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", rows())).post("/api/v1/predict/batch");
        batch.then().statusCode(200);
        assertThat(UUID.fromString(batch.header("X-Request-Id")).version()).isEqualTo(7);
        assertThat(batch.jsonPath().getList("predictions.request_id")).doesNotContain(batch.header("X-Request-Id"));

        String invalid = predict(project.readKey(), Map.of("model", "heart", "features", Map.of("age", "old")))
                .then().statusCode(422).extract().header("X-Request-Id");
        String unauthenticated = given().contentType(ContentType.JSON).body(body).post("/api/v1/predict")
                .then().statusCode(401).extract().header("X-Request-Id");
        assertThat(List.of(invalid, unauthenticated)).allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
    }

    @Test
    void aCategoryMayBeSentByNameOrByCode() {
        Map<String, Object> byName = Map.of("age", 61, "chol", 280, "sex", true, "cp", "non_anginal");
        Map<String, Object> byCode = Map.of("age", 61, "chol", 280, "sex", 1, "cp", 2);
        double a = predict(project.readKey(), Map.of("model", "heart", "features", byName)).jsonPath().getDouble("probability");
        double b = predict(project.readKey(), Map.of("model", "heart", "features", byCode)).jsonPath().getDouble("probability");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void explanationsSumToTheMargin() {
        Response r = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "features", rows().get(0)))
                .post("/api/v1/predict?explain=true");
        r.then().statusCode(200).body("contributions.size()", equalTo(5));
        Map<String, Float> contributions = r.jsonPath().getMap("contributions");
        double sum = contributions.values().stream().mapToDouble(Float::doubleValue).sum();
        double p = r.jsonPath().getDouble("probability");
        assertThat(sum).isCloseTo(Math.log(p / (1 - p)), within(1e-4));
        assertThat(contributions).containsKeys("age", "chol", "sex", "cp", "bias");
    }

    @Test
    void aBatchAnswersEveryRowInOrderWithItsOwnRequestId() {
        List<Map<String, Object>> rows = rows();
        Response r = given().header("X-API-Key", project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", rows)).post("/api/v1/predict/batch");
        r.then().statusCode(200).body("version", equalTo(1)).body("predictions", hasSize(rows.size()));
        List<Float> probabilities = r.jsonPath().getList("predictions.probability", Float.class);
        for (int i = 0; i < rows.size(); i++) {
            double expected = RUNTIME.predict(RUNTIME.toRow(encoded(rows.get(i)), MissingValues.REJECT))[0];
            assertThat((double) probabilities.get(i)).isCloseTo(expected, within(1e-6));
        }
        assertThat(r.jsonPath().getList("predictions.request_id")).doesNotHaveDuplicates();
        // ids sort in the rows' order (the log orders a batch's rows, which share their time, by id)
        assertThat(r.jsonPath().getList("predictions.request_id", String.class)).isSorted();
    }

    @Test
    void everyPredictionIsLoggedWithItsVersionAndKeyName() {
        String requestId = predict(project.readKey(), Map.of("model", "heart", "features", rows().get(1)))
                .then().statusCode(200).extract().path("request_id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT model_name, model_version, api_key_name, features->>'cp', project_id FROM predictions "
                            + "WHERE request_id = ?::uuid")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("logged").isTrue();
                    assertThat(rs.getString(1)).isEqualTo("heart");
                    assertThat(rs.getInt(2)).isEqualTo(1);
                    assertThat(rs.getString(3)).isEqualTo("reader");
                    assertThat(rs.getString(4)).isEqualTo("typical");
                    assertThat(rs.getLong(5)).isEqualTo(project.id());
                }
            }
        });
    }

    @Test
    void theLoadedModelIsDescribedWithItsChecksumAndSchema() {
        given().header("Authorization", "Bearer " + project.readKey()).get("/api/v1/models/heart")
                .then().statusCode(200)
                .body("version", equalTo(1))
                .body("artifact_sha256", equalTo(Sha256.hex(MODEL)))
                .body("feature_names", equalTo(TestModels.FEATURES))
                .body("feature_schema[3].categories", equalTo(TestModels.CP_CATEGORIES))
                .body("objective", equalTo("binary:logistic"));
    }

    @Test
    void badFeaturesAreNamed() {
        Map<String, Object> ok = rows().get(0);
        expect422(with(ok, "agee", 50), "features.agee", "unknown feature");
        Map<String, Object> missing = new HashMap<>(ok);
        missing.remove("chol");
        expect422(missing, "features.chol", "required");
        expect422(with(ok, "chol", "high"), "features.chol", "must be a number");
        expect422(with(ok, "cp", "sharp"), "features.cp", "not seen in training");
        Map<String, Object> nulled = new HashMap<>(ok);
        nulled.put("age", null);
        expect422(nulled, "features.age", "null");
    }

    @Test
    void refusedRowsAreCountedPerFeatureAndReasonForTheDataQualityCheck() throws Exception {
        Map<String, Object> ok = rows().get(0);
        expect422(with(ok, "cp", "sharp"), "features.cp", "not seen in training");
        expect422(with(ok, "cp", "sharp"), "features.cp", "not seen in training");
        Map<String, Object> missing = new HashMap<>(ok);
        missing.remove("chol");
        List<Map<String, Object>> batch = new java.util.ArrayList<>(rows());
        batch.set(2, missing);
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", batch)).post("/api/v1/predict/batch")
                .then().statusCode(422).body("field", equalTo("instances[2].chol"));
        predict(project.readKey(), Map.of("model", "heart", "features", ok)).then().statusCode(200);

        rejected.flush();

        Map<String, Long> counted = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT feature, reason, rows FROM prediction_rejections WHERE project_id = ? AND model_name = 'heart' "
                        + "AND model_version = 1")) {
            ps.setLong(1, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counted.merge(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3), Long::sum);
                }
            }
        }
        assertThat(counted).as("a refused batch counts all its rows against the first bad feature")
                .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("cp/invalid_category", 2L, "chol/missing", 4L)));
        assertThat(rejected.flush()).as("nothing counted twice").isZero();

        // a count the database refuses (its project deleted meanwhile) does not hold back the others,
        // and a caller's made-up feature name is stored without its control characters
        var unknown = new dev.keel.common.model.InvalidFeatureException("we\u0000ight", 
                dev.keel.common.model.InvalidFeatureException.Reason.UNKNOWN, "unknown feature");
        rejected.count(Long.MAX_VALUE, "heart", 1, unknown, 5);
        rejected.count(project.id(), "heart", 1, unknown, 3);
        assertThat(rejected.flush()).isEqualTo(3);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT rows FROM prediction_rejections WHERE project_id = ? AND feature = 'weight' AND reason = 'unknown'")) {
            ps.setLong(1, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
        }
        assertThat(rejected.flush()).as("the refused count is not kept for ever").isZero();

        // a long batch (pgjdbc sends it in parts) with a refused row somewhere: every other count once
        for (int i = 0; i < 400; i++) {
            rejected.count(project.id(), "heart", 1, new dev.keel.common.model.InvalidFeatureException("extra" + i,
                    dev.keel.common.model.InvalidFeatureException.Reason.UNKNOWN, "unknown feature"), 1);
        }
        rejected.count(Long.MAX_VALUE, "heart", 1, unknown, 5);
        assertThat(rejected.flush()).isEqualTo(400);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), sum(rows) FROM prediction_rejections WHERE project_id = ? AND feature LIKE 'extra%'")) {
            ps.setLong(1, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(400);
                assertThat(rs.getLong(2)).as("no count written twice").isEqualTo(400);
            }
        }
    }

    @Test
    void rowsPredictedAreCountedPerProjectModelAndVersion() throws Exception {
        TestProjects.Project other = ServingFixture.projectServing(dataSource, "heart", 1, MODEL);
        for (int i = 0; i < 3; i++) {   // alternating, so each request switches the counter the last one used
            predict(project.readKey(), Map.of("model", "heart", "features", rows().get(i))).then().statusCode(200);
            predict(other.readKey(), Map.of("model", "heart", "features", rows().get(i))).then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", rows().subList(0, 4))).post("/api/v1/predict/batch")
                .then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(rowsPredicted(metrics, project.name())).isEqualTo(7.0);
        assertThat(rowsPredicted(metrics, other.name())).isEqualTo(3.0);
    }

    @Test
    void requestsAreCountedByModelVersionAndOutcomeOverBothProtocols() {
        Map<String, Object> unknownFeature = new HashMap<>(rows().get(0));
        unknownFeature.put("weight", 80);
        predict(project.readKey(), Map.of("model", "heart", "features", rows().get(0))).then().statusCode(200);
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", rows())).post("/api/v1/predict/batch").then().statusCode(200);
        predict(project.readKey(), Map.of("model", "heart", "features", unknownFeature)).then().statusCode(422);
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", List.of(rows().get(0), unknownFeature)))
                .post("/api/v1/predict/batch").then().statusCode(422);
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(Map.of("name", "age", "shape", List.of(1), "datatype", "FP32", "data", List.of(50)))))
                .post("/v2/models/heart/infer").then().statusCode(400);
        predict(project.readKey(), Map.of("model", "no-such-model", "features", rows().get(0))).then().statusCode(404);
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of())).post("/v2/models/no-such-model/infer").then().statusCode(404);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(requests(metrics, "heart", "1", "success")).isEqualTo(2.0);
        assertThat(requests(metrics, "heart", "1", "invalid")).isEqualTo(3.0);
        // the requested name is not a tag: callers cannot add series at will
        assertThat(requests(metrics, "", "", "not_served")).isEqualTo(2.0);
        assertThat(metrics).doesNotContain("no-such-model");
    }

    private double requests(String metrics, String model, String version, String outcome) {
        return metrics.lines()
                .filter(l -> l.startsWith("keel_inference_requests_total{") && l.contains("project=\"" + project.name() + "\"")
                        && l.contains("model=\"" + model + "\"") && l.contains("version=\"" + version + "\"")
                        && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static double rowsPredicted(String metrics, String project) {
        return metrics.lines()
                .filter(l -> l.startsWith("keel_inference_rows_predicted_total{") && l.contains("project=\"" + project + "\"")
                        && l.contains("model=\"heart\"") && l.contains("version=\"1\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void malformedRequestsAreProblemsNamingTheField() {
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("features", rows().get(0))).post("/api/v1/predict")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("model"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", " ", "features", rows().get(0))).post("/api/v1/predict")
                .then().statusCode(400).body("field", equalTo("model")).body("detail", equalTo("model: must not be blank"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart")).post("/api/v1/predict")
                .then().statusCode(400).body("field", equalTo("features")).body("detail", equalTo("features: must not be null"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body("{}").post("/api/v1/predict")
                .then().statusCode(400).body("detail", equalTo("2 fields are invalid"))
                .body("errors.field", contains("features", "model"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .post("/api/v1/predict")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("request"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body("{\"model\": \"heart\", \"features\": {").post("/api/v1/predict")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "features", List.of(1, 2))).post("/api/v1/predict")
                .then().statusCode(400).body("field", equalTo("features"));
        predict(project.readKey(), Map.of("model", "no-such-model", "features", rows().get(0)))
                .then().statusCode(404).contentType("application/problem+json").body("field", equalTo("model"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.TEXT)
                .body("age=1").post("/api/v1/predict")
                .then().statusCode(415).contentType("application/problem+json");
        // the router does not say which methods the path has: no empty Allow header, which would say none
        given().header("Authorization", "Bearer " + project.readKey()).delete("/api/v1/predict")
                .then().statusCode(405).contentType("application/problem+json")
                .header("Allow", nullValue())
                .body("detail", equalTo("DELETE is not allowed at /api/v1/predict"));
    }

    @Test
    void aBatchOverTheLimitIsRefusedBeforeAnyRowIsScored() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            rows.add(Map.of());
        }
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", rows)).post("/api/v1/predict/batch")
                .then().statusCode(422).body("field", equalTo("instances")).body("detail", containsString("10000"));
    }

    @Test
    void aBadRowInABatchIsNamedByItsIndex() {
        List<Map<String, Object>> rows = new ArrayList<>(rows());
        rows.set(2, with(rows.get(2), "cp", "sharp"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", rows)).post("/api/v1/predict/batch")
                .then().statusCode(422).body("field", equalTo("instances[2].cp"));
    }

    @Test
    void keysAreRequiredAndOnlySeeTheirOwnProject() throws Exception {
        predict(null, Map.of("model", "heart", "features", rows().get(0)))
                .then().statusCode(401).header("WWW-Authenticate", "Bearer");
        predict("keel_notAKeyThatExists0123456789abcdefghijk", Map.of("model", "heart", "features", rows().get(0)))
                .then().statusCode(401);
        TestProjects.Project other = TestProjects.create(dataSource, "other");
        predict(other.readKey(), Map.of("model", "heart", "features", rows().get(0))).then().statusCode(404);
    }

    @Test
    void keysTheCacheHasNotSeenAndTheBootstrapKeyNamingAProjectAreCheckedOffTheEventLoop() {
        // the prediction endpoints run on the event loop; these requests need the database first
        Map<String, Object> body = Map.of("model", "heart", "features", rows().get(0));
        predict(project.writeKey(), body).then().statusCode(200).body("model", equalTo("heart"));
        given().header("Authorization", "Bearer " + RegistryStub.SERVICE_KEY).queryParam("project", project.name())
                .contentType(ContentType.JSON).body(body).post("/api/v1/predict")
                .then().statusCode(200).body("version", equalTo(1));
        given().header("Authorization", "Bearer " + RegistryStub.SERVICE_KEY).queryParam("project", "no-such-project")
                .contentType(ContentType.JSON).body(body).post("/api/v1/predict")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + RegistryStub.SERVICE_KEY)
                .contentType(ContentType.JSON).body(body).post("/api/v1/predict")
                .then().statusCode(400).body("field", equalTo("project"));
    }

    @Test
    void feedbackJoinsLabelsToRequestIdsAndNeedsAWriteKey() throws Exception {
        String requestId = predict(project.readKey(), Map.of("model", "heart", "features", rows().get(0)))
                .then().statusCode(200).extract().path("request_id");
        Map<String, Object> body = Map.of("items", List.of(Map.of("request_id", requestId, "label", 1)));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/feedback").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/feedback").then().statusCode(200).body("stored", equalTo(1));
        // a corrected label replaces the first
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(Map.of("request_id", requestId, "label", 0)))).post("/api/v1/feedback")
                .then().statusCode(200).body("stored", equalTo(1));
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/feedback").then().statusCode(200).body("stored", equalTo(1));
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(Map.of("request_id", "not-a-uuid", "label", 1))))
                .post("/api/v1/feedback").then().log().ifValidationFails().statusCode(400)
                .body("field", equalTo("items[0].request_id"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT label, project_id FROM feedback WHERE request_id = ?::uuid AND project_id = ?")) {
            ps.setString(1, requestId);
            ps.setLong(2, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(1.0);
                assertThat(rs.getLong(2)).isEqualTo(project.id());
            }
        }
    }

    @Test
    void labelsOfOneRequestSentAtOnceAreAllStoredAndOneOfThemKept() throws Exception {
        String requestId = predict(project.readKey(), Map.of("model", "heart", "features", rows().get(1)))
                .then().statusCode(200).extract().path("request_id");
        int senders = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(senders);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        List<Integer> stored = new java.util.ArrayList<>();
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < senders; i++) {
                int label = i % 2;
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                            .body(Map.of("items", List.of(Map.of("request_id", requestId, "label", label))))
                            .post("/api/v1/feedback").then().statusCode(200).extract().<Integer>path("stored");
                }));
            }
            for (var answer : answers) {
                stored.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored).as("every sender's label was stored (a later one replacing an earlier)").containsOnly(1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM feedback WHERE request_id = ?::uuid AND project_id = ?")) {
            ps.setString(1, requestId);
            ps.setLong(2, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    private void expect422(Map<String, Object> features, String field, String detail) {
        predict(project.readKey(), Map.of("model", "heart", "features", features))
                .then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo(field)).body("detail", containsString(detail));
    }

    private static Response predict(String key, Map<String, Object> body) {
        var spec = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            spec = spec.header("Authorization", "Bearer " + key);
        }
        return spec.post("/api/v1/predict");
    }

    static List<Map<String, Object>> rows() {
        return List.of(
                Map.of("age", 54, "chol", 246, "sex", 1, "cp", "asymptomatic"),
                Map.of("age", 41, "chol", 204, "sex", 0, "cp", "typical"),
                Map.of("age", 67, "chol", 286, "sex", true, "cp", "atypical"),
                Map.of("age", 58.5, "chol", 199.25, "sex", false, "cp", 2));
    }

    static Map<String, Object> encoded(Map<String, Object> row) {
        Map<String, Object> copy = new HashMap<>(row);
        if (copy.get("cp") instanceof String name) {
            copy.put("cp", TestModels.CP_CATEGORIES.indexOf(name));
        }
        return copy;
    }

    private static Map<String, Object> with(Map<String, Object> row, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(row);
        copy.put(key, value);
        return copy;
    }

}
