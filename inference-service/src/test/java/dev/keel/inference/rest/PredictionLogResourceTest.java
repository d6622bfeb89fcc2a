package dev.keel.inference.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.RegistryStub;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PredictionLogResourceTest {

    private static final byte[] MODEL = TestModels.train(20, 7);

    @Inject
    DataSource dataSource;

    private TestProjects.Project project;

    @BeforeEach
    void aProjectServingTwoModels() throws Exception {
        project = ServingFixture.projectServing(dataSource, "heart", 1, MODEL);
        RegistryStub.publish(new RegistryStub.Version(project.name(), "angina", 2, 0.5, MODEL));
        ServingFixture.awaitServing(project, "angina", 2);
    }

    @Test
    void theLogListsTheProjectsPredictionsNewestFirstWithWhatEachWasGiven() throws Exception {
        List<Map<String, Object>> rows = PredictResourceTest.rows();
        List<JsonPath> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(predict(project.readKey(), "heart", rows.get(i)));
        }
        made.add(predict(project.writeKey(), "angina", rows.get(3)));
        awaitLogged(made);

        JsonPath listed = list(project.readKey(), Map.of()).statusCode(200).body("$", hasSize(4)).extract().jsonPath();

        List<String> newestFirst = new ArrayList<>(made.stream().map(p -> p.getString("request_id")).toList());
        Collections.reverse(newestFirst);
        assertThat(listed.getList("request_id", String.class)).containsExactlyElementsOf(newestFirst);
        List<Instant> times = listed.getList("predicted_at", String.class).stream().map(Instant::parse).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).as("predicted_at %d", i).isBeforeOrEqualTo(times.get(i - 1));
        }
        Map<String, Long> latencyMicros = latencies();
        for (int i = 0; i < 4; i++) {
            JsonPath response = made.get(3 - i);
            String item = "[" + i + "].";
            assertThat(listed.getString(item + "model")).isEqualTo(response.getString("model"));
            assertThat(listed.getInt(item + "version")).isEqualTo(response.getInt("version"));
            assertThat(listed.getDouble(item + "prediction")).isEqualTo(response.getDouble("prediction"));
            assertThat(listed.getDouble(item + "probability")).isCloseTo(response.getDouble("probability"), within(1e-7));
            assertThat(listed.getDouble(item + "latency_ms")).as("latency_us / 1000")
                    .isCloseTo(latencyMicros.get(response.getString("request_id")) / 1000.0, within(1e-9));
        }
        assertThat(listed.getList("model", String.class)).containsExactly("angina", "heart", "heart", "heart");
        assertThat(listed.getList("version", Integer.class)).containsExactly(2, 1, 1, 1);
        assertThat(listed.getList("api_key_name", String.class)).containsExactly("writer", "reader", "reader", "reader");
        Map<String, Object> oldest = listed.getMap("[3].features");
        assertThat(oldest).containsEntry("cp", "asymptomatic").containsEntry("age", 54).containsEntry("chol", 246)
                .containsEntry("sex", 1).hasSize(4);
        assertThat(listed.getMap("[0].features")).containsEntry("cp", 2).containsEntry("sex", false);

        List<String> heart = list(project.readKey(), Map.of("model_name", "heart")).statusCode(200)
                .body("model", equalTo(List.of("heart", "heart", "heart"))).extract().jsonPath().getList("request_id");
        assertThat(heart).containsExactlyElementsOf(newestFirst.subList(1, 4));
        list(project.readKey(), Map.of("limit", 2)).statusCode(200)
                .body("request_id", equalTo(newestFirst.subList(0, 2)));
        list(project.readKey(), Map.of("model_name", "heart", "limit", 1)).statusCode(200)
                .body("request_id", equalTo(newestFirst.subList(1, 2)));
        list(project.readKey(), Map.of("model_name", "nothing-by-this-name")).statusCode(200).body("$", hasSize(0));
    }

    @Test
    void twentyByDefaultAndAtMostTwoHundred() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, Object> row = new HashMap<>(PredictResourceTest.rows().get(i % 4));
            row.put("age", 30 + i);
            rows.add(row);
        }
        List<String> ids = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "instances", rows)).post("/api/v1/predict/batch")
                .then().statusCode(200).extract().jsonPath().getList("predictions.request_id");
        awaitCount(ids, 25);

        list(project.readKey(), Map.of()).statusCode(200).body("$", hasSize(20));
        JsonPath all = list(project.readKey(), Map.of("limit", 200)).statusCode(200).body("$", hasSize(25))
                .extract().jsonPath();
        assertThat(all.getList("request_id", String.class)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(all.getList("features.age", Integer.class)).containsExactlyInAnyOrderElementsOf(
                rows.stream().map(r -> (Integer) r.get("age")).toList());
    }

    @Test
    void anotherProjectsKeySeesNoneOfThem() throws Exception {
        JsonPath ours = predict(project.readKey(), "heart", PredictResourceTest.rows().get(0));
        TestProjects.Project other = ServingFixture.projectServing(dataSource, "heart", 1, MODEL);
        awaitLogged(List.of(ours));

        list(other.readKey(), Map.of()).statusCode(200).body("$", hasSize(0));
        list(other.readKey(), Map.of("model_name", "heart")).statusCode(200).body("$", hasSize(0));

        JsonPath theirs = predict(other.readKey(), "heart", PredictResourceTest.rows().get(1));
        awaitLogged(List.of(theirs));
        list(other.readKey(), Map.of()).statusCode(200).body("request_id", equalTo(List.of(theirs.getString("request_id"))));
        list(project.readKey(), Map.of()).statusCode(200).body("request_id", equalTo(List.of(ours.getString("request_id"))));
    }

    @Test
    void aLimitOutsideOneToTwoHundredIsAProblemNamingIt() {
        for (Object bad : List.of(0, -1, 201, "abc", "2.5")) {
            list(project.readKey(), Map.of("limit", bad)).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("limit")).body("status", equalTo(400));
        }
        given().get("/api/v1/predictions").then().statusCode(401);
    }

    private io.restassured.response.ValidatableResponse list(String key, Map<String, ?> query) {
        RequestSpecification spec = given().header("Authorization", "Bearer " + key);
        query.forEach((name, value) -> spec.queryParam(name, value));
        return spec.get("/api/v1/predictions").then().log().ifValidationFails();
    }

    private static JsonPath predict(String key, String model, Map<String, Object> features) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("model", model, "features", features)).post("/api/v1/predict")
                .then().statusCode(200).extract().jsonPath();
    }

    private void awaitLogged(List<JsonPath> predictions) {
        awaitCount(predictions.stream().map(p -> p.getString("request_id")).toList(), predictions.size());
    }

    /** The writer flushes asynchronously: wait until every request id is in the table. */
    private void awaitCount(List<String> requestIds, int expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM predictions WHERE request_id = ANY (?::uuid[])")) {
                ps.setArray(1, c.createArrayOf("text", requestIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("logged").isEqualTo(expected);
                }
            }
        });
    }

    private Map<String, Long> latencies() throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT request_id::text, latency_us FROM predictions WHERE project_id = ?")) {
            ps.setLong(1, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }
}
