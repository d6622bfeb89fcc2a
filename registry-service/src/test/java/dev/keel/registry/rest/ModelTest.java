package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.churnMetadata;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.promote;
import static dev.keel.registry.Fixtures.registerChurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Registered models: a project's namespace of named models. */
@QuarkusTest
class ModelTest {

    @Inject
    DataSource dataSource;

    @Test
    void aModelIsCreatedReadAndUpdated() {
        var p = newProjectWithKeys();
        as(p.write()).contentType("application/json")
                .body(Map.of("name", "churn", "description", "Monthly churn", "tags", Map.of("team", "retention")))
                .when().post("/api/v1/models")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/models/churn"))
                .body("name", equalTo("churn"))
                .body("project", equalTo(p.name()))
                .body("tags.team", equalTo("retention"))
                .body("gate_thresholds", nullValue())
                .body("effective_gate_thresholds.f1", equalTo(0.75f))
                .body("latest_version", nullValue());
        as(p.write()).contentType("application/json").body(Map.of("name", "churn"))
                .when().post("/api/v1/models").then().statusCode(409);

        as(p.write()).contentType("application/json")
                .body(Map.of("description", "Churn within 30 days", "tags", Map.of("team", "retention", "tier", "gold")))
                .when().patch("/api/v1/models/churn")
                .then().statusCode(200)
                .body("description", equalTo("Churn within 30 days"))
                .body("tags.tier", equalTo("gold"));
        as(p.read()).when().get("/api/v1/models/churn")
                .then().statusCode(200).body("description", equalTo("Churn within 30 days"));
        as(p.read()).when().get("/api/v1/models/nope").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("Model 'nope' does not exist"));
    }

    @Test
    void onlyAnAdminChangesAModelsGateThresholds() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        as(p.write()).contentType("application/json").body(Map.of("gate_thresholds", Map.of("f1", 0.5)))
                .when().patch("/api/v1/models/churn").then().statusCode(403);
        as(p.admin()).contentType("application/json").body(Map.of("gate_thresholds", Map.of("f1", 0.9)))
                .when().patch("/api/v1/models/churn")
                .then().statusCode(200)
                .body("gate_thresholds.f1", equalTo(0.9f))
                .body("effective_gate_thresholds.f1", equalTo(0.9f));
        // the recorded F1 of 0.8 now misses the model's own threshold
        promote(p.write(), "churn", 1, "production").then().statusCode(409).body("errors.field", contains("metric_f1"));
        as(p.admin()).contentType("application/json").body(Map.of("gate_thresholds", Map.of()))
                .when().patch("/api/v1/models/churn")
                .then().statusCode(200).body("gate_thresholds", nullValue());
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
    }

    @Test
    void aModelsRetrainingScheduleAndSourceAreSetCheckedAndCleared() throws SQLException {
        var p = newProjectWithKeys();
        as(p.write()).contentType("application/json")
                .body(Map.of("name", "churn", "retrain_cron", "0 3 * * 1", "retrain_source", "feedback"))
                .when().post("/api/v1/models")
                .then().statusCode(201).body("retrain_cron", equalTo("0 3 * * 1")).body("retrain_source", equalTo("feedback"));
        long dataset = dataset(p.name());
        as(p.write()).contentType("application/json").body(Map.of("retrain_source", "Dataset: " + dataset))
                .when().patch("/api/v1/models/churn")
                .then().statusCode(200).body("retrain_source", equalTo("dataset:" + dataset))
                .body("retrain_cron", equalTo("0 3 * * 1"));
        assertThat(column(p.name(), "churn", "retrain_source")).isEqualTo("dataset:" + dataset);

        as(p.write()).contentType("application/json").body(Map.of("retrain_cron", "every monday"))
                .when().patch("/api/v1/models/churn")
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("retrain_cron"));
        as(p.write()).contentType("application/json").body(Map.of("retrain_source", "newest"))
                .when().patch("/api/v1/models/churn")
                .then().statusCode(422).body("field", equalTo("retrain_source"))
                .body("detail", containsString("auto, latest, feedback or dataset:<id>"));
        as(p.write()).contentType("application/json").body(Map.of("name", "other", "retrain_cron", "0 99 * * *"))
                .when().post("/api/v1/models").then().statusCode(422).body("field", equalTo("retrain_cron"));

        as(p.write()).contentType("application/json").body(Map.of("retrain_cron", "", "retrain_source", ""))
                .when().patch("/api/v1/models/churn")
                .then().statusCode(200).body("retrain_cron", nullValue()).body("retrain_source", equalTo("auto"));
        assertThat(column(p.name(), "churn", "retrain_cron")).isNull();
        assertThat(column(p.name(), "churn", "retrain_source")).isNull();
    }

    @Test
    void aRetrainSourceNamingADatasetOutsideTheProjectIs422() throws SQLException {
        var p = newProjectWithKeys();
        var other = newProjectWithKeys();
        long theirs = dataset(other.name());
        long missing = theirs + 1_000_000;
        as(p.write()).contentType("application/json").body(Map.of("name", "churn", "retrain_source", "dataset:" + theirs))
                .when().post("/api/v1/models")
                .then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("retrain_source"))
                .body("detail", equalTo("retrain_source: project '" + p.name() + "' has no dataset " + theirs));
        as(p.read()).when().get("/api/v1/models/churn").then().statusCode(404);

        long own = dataset(p.name());
        as(p.write()).contentType("application/json").body(Map.of("name", "churn", "retrain_source", "dataset:" + own))
                .when().post("/api/v1/models")
                .then().statusCode(201).body("retrain_source", equalTo("dataset:" + own));
        for (long id : new long[] {theirs, missing}) {
            as(p.write()).contentType("application/json").body(Map.of("retrain_source", "dataset:" + id))
                    .when().patch("/api/v1/models/churn")
                    .then().statusCode(422).body("field", equalTo("retrain_source"))
                    .body("detail", equalTo("retrain_source: project '" + p.name() + "' has no dataset " + id));
        }
        assertThat(column(p.name(), "churn", "retrain_source")).isEqualTo("dataset:" + own);
    }

    @Test
    void twoCreatesOfOneNameAtOnceGiveOneModelAndA409NeverA500() throws Exception {
        var p = newProjectWithKeys();
        int callers = 6;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(callers);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return as(p.write()).contentType("application/json").body(Map.of("name", "race"))
                            .when().post("/api/v1/models").statusCode();
                }));
            }
            for (var result : results) {
                statuses.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 201).allMatch(s -> s == 409);
    }

    @Test
    void modelsAreListedByNameInPagesAndFiltered() {
        var p = newProjectWithKeys();
        for (String name : new String[] {"fraud-eu", "churn-b2c", "churn-b2b", "Churn-Legacy"}) {
            as(p.write()).contentType("application/json").body(Map.of("name", name))
                    .when().post("/api/v1/models").then().statusCode(201);
        }
        as(p.read()).when().get("/api/v1/models")
                .then().statusCode(200)
                .body("total", equalTo(4))
                .body("items.name", contains("Churn-Legacy", "churn-b2b", "churn-b2c", "fraud-eu"));
        as(p.read()).queryParam("name", "churn").queryParam("size", 2).when().get("/api/v1/models")
                .then().statusCode(200)
                .body("total", equalTo(3)).body("size", equalTo(2)).body("page", equalTo(0))
                .body("items.name", contains("Churn-Legacy", "churn-b2b"));
        as(p.read()).queryParam("name", "churn").queryParam("size", 2).queryParam("page", 1).when().get("/api/v1/models")
                .then().body("items.name", contains("churn-b2c"));
        as(p.read()).queryParam("name", "%").when().get("/api/v1/models").then().body("total", equalTo(0));
        as(p.read()).queryParam("size", 0).when().get("/api/v1/models").then().statusCode(400).body("field", equalTo("size"));
        as(p.read()).queryParam("page", -1).when().get("/api/v1/models").then().statusCode(400).body("field", equalTo("page"));
    }

    @Test
    void aProjectSeesOnlyItsOwnModels() {
        var mine = newProjectWithKeys();
        var theirs = newProjectWithKeys();
        registerChurn(theirs.write(), "churn", churnMetadata());
        as(mine.read()).when().get("/api/v1/models").then().body("total", equalTo(0));
        as(mine.read()).when().get("/api/v1/models/churn").then().statusCode(404);
        registerChurn(mine.write(), "churn", churnMetadata());
        as(mine.read()).when().get("/api/v1/models/churn/versions").then().body("total", equalTo(1));
    }

    @Test
    void deletingAModelRemovesItsVersionsArtifactsAndHistory() throws SQLException {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "staging").then().statusCode(200);
        long modelId = modelId(p.name(), "churn");

        as(p.write()).when().delete("/api/v1/models/churn").then().statusCode(403);
        as(p.admin()).when().delete("/api/v1/models/churn").then().statusCode(204);
        as(p.admin()).when().delete("/api/v1/models/churn").then().statusCode(404);
        for (String table : new String[] {"model_versions", "stage_transitions"}) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE model_id = " + modelId)).as(table).isZero();
        }
        assertThat(count("SELECT count(*) FROM model_artifacts a LEFT JOIN model_versions v ON v.id = a.version_id "
                + "WHERE v.id IS NULL")).isZero();
    }

    private long modelId(String project, String model) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT m.id FROM registered_models m JOIN projects p ON p.id = m.project_id WHERE p.name = ? AND m.name = ?")) {
            ps.setString(1, project);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A dataset of the project, as training-service would have stored its upload. */
    private long dataset(String project) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO datasets (project_id, name, fingerprint, row_count, column_count, target_column, columns,
                                      validation, size_bytes, created_by)
                SELECT id, 'churn.csv', repeat('a', 64), 300, 7, 'churned', '[]'::jsonb, '{}'::jsonb, 1024, 'test'
                FROM projects WHERE name = ? RETURNING id""")) {
            insert.setString(1, project);
            try (ResultSet rs = insert.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private String column(String project, String model, String column) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + column
                + " FROM registered_models m JOIN projects p ON p.id = m.project_id WHERE p.name = ? AND m.name = ?")) {
            ps.setString(1, project);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
