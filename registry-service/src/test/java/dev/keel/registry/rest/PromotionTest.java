package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.churnMetadata;
import static dev.keel.registry.Fixtures.churnMetadataWithF1;
import static dev.keel.registry.Fixtures.metric;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.promote;
import static dev.keel.registry.Fixtures.registerChurn;
import static dev.keel.registry.Fixtures.resource;
import static dev.keel.registry.Fixtures.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Stages, the deployment gate, rollback and the audit trail. */
@QuarkusTest
class PromotionTest {

    @Inject
    DataSource dataSource;

    @Test
    void promotingAVersionArchivesThePreviousProduction() throws SQLException {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "staging").then().statusCode(200)
                .body("from_stage", equalTo("none")).body("to_stage", equalTo("staging")).body("gate_result", nullValue());
        promote(p.write(), "churn", 1, "production").then().statusCode(200)
                .body("kind", equalTo("stage"))
                .body("from_stage", equalTo("staging"))
                .body("to_stage", equalTo("production"))
                .body("forced", equalTo(false))
                .body("gate_result.passed", equalTo(true))
                .body("gate_result.thresholds.f1", equalTo(0.75f))
                .body("gate_result.checks.name", contains("artifact_checksum", "artifact_loads", "feature_schema",
                        "smoke_predictions", "metric_f1"))
                .body("gate_result.checks.passed", everyItem(equalTo(true)));

        promote(p.write(), "churn", 2, "production").then().statusCode(200)
                .body("from_stage", equalTo("none"))
                .body("details.archived_version", equalTo(1));

        assertThat(stages(p.name(), "churn")).containsExactly("archived", "production");
        as(p.read()).when().get("/api/v1/models/churn").then().body("production_version", equalTo(2));
        promote(p.write(), "churn", 2, "production").then().statusCode(409)
                .body("detail", equalTo("churn v2 is already in production"));
        promote(p.write(), "churn", 2, "none").then().statusCode(422);
    }

    @Test
    void aFailingGateIs409ListingEveryFailedCheck() {
        var p = newProjectWithKeys();
        // a model override adds roc_auc, which this version did not record, to the project's F1 threshold
        as(p.admin()).contentType("application/json").body(Map.of("name", "churn", "gate_thresholds", Map.of("roc_auc", 0.8)))
                .when().post("/api/v1/models").then().statusCode(201)
                .body("effective_gate_thresholds.f1", equalTo(0.75f))
                .body("effective_gate_thresholds.roc_auc", equalTo(0.8f));
        String metadata = churnMetadataWithF1(0.61).replace("\"roc_auc\": 0.9,", "");
        int version = registerChurn(p.write(), "churn", metadata);

        promote(p.write(), "churn", version, "production").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("The deployment gate refused churn v1: 2 failed check(s): metric_f1, metric_roc_auc"))
                .body("errors.field", containsInAnyOrder("metric_f1", "metric_roc_auc"))
                .body("errors.message", hasItem("f1 0.6100 is below the threshold 0.7500"))
                .body("errors.message", hasItem("roc_auc was not recorded; the threshold is 0.8"));
        as(p.read()).when().get("/api/v1/models/churn/versions/1").then().body("stage", equalTo("none"));
        as(p.read()).when().get("/api/v1/models/churn/history").then().body("total", equalTo(0));
        assertThat(metric("keel_registry_promotions_total", Map.of("project", p.name(), "model", "churn", "outcome", "rejected")))
                .isEqualTo(1.0);
    }

    @Test
    void aRegressionModelIsGatedOnR2AndItsErrorsAndTheProjectsF1ThresholdDoesNotApplyToIt() {
        var p = newProjectWithKeys();
        // an error's threshold is the largest error accepted: any number of at least 0, not a share
        as(p.admin()).contentType("application/json").body(Map.of("name", "price", "gate_thresholds", Map.of("rmse", -1)))
                .when().post("/api/v1/models").then().statusCode(422)
                .body("detail", equalTo("gate_thresholds.rmse: must be a number of at least 0 (the largest error accepted)"));
        as(p.admin()).contentType("application/json")
                .body(Map.of("name", "price", "gate_thresholds", Map.of("r2", 0.7, "rmse", 1.0, "mae", 12.5)))
                .when().post("/api/v1/models").then().statusCode(201)
                .body("effective_gate_thresholds.f1", equalTo(0.75f))
                .body("effective_gate_thresholds.r2", equalTo(0.7f))
                .body("effective_gate_thresholds.rmse", equalTo(1.0f));
        upload(p.write(), "price", resource("models/hand-made-regression.json"),
                "{\"metrics\": {\"mae\": 0.8, \"rmse\": 1.2, \"r2\": 0.55}}").then().statusCode(201);
        upload(p.write(), "price", resource("models/hand-made-regression.json"),
                "{\"metrics\": {\"mae\": 0.7, \"rmse\": 0.9, \"r2\": 0.81}}").then().statusCode(201);

        promote(p.write(), "price", 1, "production").then().statusCode(409)
                .body("errors.field", containsInAnyOrder("metric_r2", "metric_rmse"))
                .body("errors.message", containsInAnyOrder("r2 0.5500 is below the threshold 0.7000",
                        "rmse 1.2000 is above the threshold 1.0000"));
        promote(p.write(), "price", 2, "production").then().statusCode(200)
                .body("gate_result.checks.find { it.name == 'metric_f1' }.detail",
                        equalTo("f1 does not measure a regression model; not checked"))
                .body("gate_result.checks.find { it.name == 'metric_r2' }.passed", equalTo(true))
                .body("gate_result.checks.find { it.name == 'metric_rmse' }.detail", equalTo("rmse 0.9000 <= 1.0000"))
                .body("gate_result.checks.find { it.name == 'metric_mae' }.detail", equalTo("mae 0.7000 <= 12.5000"));
    }

    @Test
    void aLogitrawModelIsGatedOnTheClassifierFiguresItWasRegisteredWith() {
        var p = newProjectWithKeys();
        // the churn model answering raw margins: Keel cannot evaluate it, so the recorded F1 is what the gate checks
        byte[] margins = new String(resource("models/churn-model.json"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"binary:logistic\"", "\"binary:logitraw\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        upload(p.write(), "scores", margins, churnMetadataWithF1(0.61)).then().statusCode(201);
        upload(p.write(), "scores", margins, churnMetadataWithF1(0.81)).then().statusCode(201);

        promote(p.write(), "scores", 1, "production").then().statusCode(409)
                .body("errors.field", contains("metric_f1"))
                .body("errors.message", contains("f1 0.6100 is below the threshold 0.7500"));
        promote(p.write(), "scores", 2, "production").then().statusCode(200)
                .body("gate_result.checks.find { it.name == 'metric_f1' }.detail", equalTo("f1 0.8100 >= 0.7500"));
    }

    @Test
    void aBrokenArtifactFailsTheGateEvenWithGoodMetrics() throws SQLException {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE model_artifacts SET content = convert_to('{"learner": {}}', 'UTF8') WHERE version_id =
                  (SELECT v.id FROM model_versions v JOIN registered_models m ON m.id = v.model_id
                   JOIN projects p ON p.id = m.project_id WHERE p.name = ? AND m.name = 'churn')""")) {
            ps.setString(1, p.name());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        promote(p.write(), "churn", 1, "production").then().statusCode(409)
                .body("errors.field", hasItem("artifact_checksum"))
                .body("errors.field", hasItem("artifact_loads"))
                .body("errors.field", org.hamcrest.Matchers.not(hasItem("metric_f1")));
    }

    @Test
    void onlyAnAdminMayForceAPromotionAndTheAuditSaysSo() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadataWithF1(0.5));
        Map<String, Object> forced = Map.of("stage", "production", "reason", "hotfix", "force", true);
        as(p.write()).contentType("application/json").body(forced)
                .when().post("/api/v1/models/churn/versions/1/stage")
                .then().statusCode(403).body("detail", startsWith("force=true skips the deployment gate and needs an admin key"));

        as(p.admin()).contentType("application/json").body(forced)
                .when().post("/api/v1/models/churn/versions/1/stage")
                .then().statusCode(200)
                .body("forced", equalTo(true))
                .body("gate_result.passed", equalTo(false))
                .body("gate_result.forced", equalTo(true))
                .body("actor", startsWith("admin-"));
        as(p.read()).when().get("/api/v1/models/churn/history")
                .then().body("items[0].forced", equalTo(true)).body("items[0].reason", equalTo("hotfix"));
    }

    @Test
    void aForcedPromotionNeedsAReason() throws SQLException {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadataWithF1(0.5));
        as(p.admin()).contentType("application/json").body(Map.of("stage", "production", "force", true, "reason", " "))
                .when().post("/api/v1/models/churn/versions/1/stage")
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("reason"));
        assertThat(stages(p.name(), "churn")).containsExactly("none");
    }

    @Test
    void aPromotionDecidedAgainstAReplacedChampionIsRefusedNamingTheExpectedVersion() throws SQLException {
        var p = newProjectWithKeys();
        for (int i = 0; i < 3; i++) {
            registerChurn(p.write(), "churn", churnMetadata());
        }
        Map<String, Object> againstNone = Map.of("stage", "production", "reason", "first", "expected_production_version", 0);
        as(p.write()).contentType("application/json").body(againstNone)
                .when().post("/api/v1/models/churn/versions/1/stage").then().statusCode(200);
        // v2 and v3 were both scored against v1; v2 goes first, so v3's decision is stale
        Map<String, Object> againstV1 = Map.of("stage", "production", "reason", "beats v1", "expected_production_version", 1);
        as(p.write()).contentType("application/json").body(againstV1)
                .when().post("/api/v1/models/churn/versions/2/stage").then().statusCode(200);
        as(p.write()).contentType("application/json").body(againstV1)
                .when().post("/api/v1/models/churn/versions/3/stage")
                .then().statusCode(409).contentType("application/problem+json")
                .body("field", equalTo("expected_production_version"))
                .body("detail", containsString("v2 in production"));
        assertThat(stages(p.name(), "churn")).containsExactly("archived", "production", "none");
        as(p.write()).contentType("application/json").body(Map.of("stage", "production", "reason", "x",
                        "expected_production_version", -1))
                .when().post("/api/v1/models/churn/versions/3/stage").then().statusCode(400);
    }

    @Test
    void concurrentPromotionsLeaveExactlyOneProductionVersion() throws Exception {
        var p = newProjectWithKeys();
        int versions = 4;
        for (int i = 0; i < versions; i++) {
            registerChurn(p.write(), "race", churnMetadata());
        }
        CyclicBarrier start = new CyclicBarrier(versions);
        ExecutorService pool = Executors.newFixedThreadPool(versions);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int v = 1; v <= versions; v++) {
                int version = v;
                results.add(pool.submit(() -> {
                    start.await();
                    return promote(p.write(), "race", version, "production").statusCode();
                }));
            }
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses).allMatch(s -> s == 200 || s == 409).contains(200);
        List<String> stages = stages(p.name(), "race");
        assertThat(stages).filteredOn("production"::equals).hasSize(1);
        long promoted = statuses.stream().filter(s -> s == 200).count();
        assertThat(stages).filteredOn("archived"::equals).hasSize((int) promoted - 1);
        as(p.read()).queryParam("size", 50).when().get("/api/v1/models/race/history")
                .then().body("items.findAll { it.to_stage == 'production' }.size()", equalTo((int) promoted));
    }

    @Test
    void rollbackRestoresThePreviousProduction() {
        var p = newProjectWithKeys();
        for (int i = 0; i < 3; i++) {
            registerChurn(p.write(), "churn", churnMetadata());
        }
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
        promote(p.write(), "churn", 2, "production").then().statusCode(200);
        promote(p.write(), "churn", 3, "staging").then().statusCode(200);

        as(p.read()).contentType("application/json").body(Map.of("reason", "v2 misbehaves"))
                .when().post("/api/v1/models/churn/rollback").then().statusCode(403);
        as(p.write()).contentType("application/json").body(Map.of("reason", "v2 misbehaves"))
                .when().post("/api/v1/models/churn/rollback")
                .then().statusCode(200)
                .body("from_version", equalTo(2))
                .body("to_version", equalTo(1))
                .body("transitions.kind", contains("rollback", "rollback"))
                .body("transitions[0].to_stage", equalTo("archived"))
                .body("transitions[1].from_stage", equalTo("archived"))
                .body("transitions[1].to_stage", equalTo("production"))
                .body("transitions[1].reason", equalTo("v2 misbehaves"))
                .body("transitions[1].gate_result.passed", equalTo(true));
        as(p.read()).when().get("/api/v1/models/churn/production").then().statusCode(200).body("version", equalTo(1));

        // a named version that served before (v2, archived by the rollback) comes back the same way
        as(p.write()).contentType("application/json").body(Map.of("reason", "v2 is fixed after all", "to_version", 2))
                .when().post("/api/v1/models/churn/rollback")
                .then().statusCode(200).body("from_version", equalTo(1)).body("to_version", equalTo(2))
                .body("transitions[1].from_stage", equalTo("archived"));
        as(p.read()).when().get("/api/v1/models/churn/production").then().body("version", equalTo(2));
        assertThat(metric("keel_registry_rollbacks_total", Map.of("project", p.name(), "model", "churn"))).isEqualTo(2.0);
        assertThat(metric("keel_registry_promotions_total", Map.of("project", p.name(), "model", "churn", "outcome", "promoted")))
                .isEqualTo(2.0);
    }

    @Test
    void aRollbackNamingTheVersionToRollBackHappensOnlyWhileThatVersionIsProduction() {
        var p = newProjectWithKeys();
        for (int i = 0; i < 3; i++) {
            registerChurn(p.write(), "churn", churnMetadata());
        }
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
        promote(p.write(), "churn", 2, "production").then().statusCode(200);
        Map<String, Object> fromTwo = Map.of("reason", "v2 misbehaves", "from_version", 2);

        // v3 was promoted after someone decided to roll v2 back: that decision no longer applies
        promote(p.write(), "churn", 3, "production").then().statusCode(200);
        as(p.write()).contentType("application/json").body(fromTwo).when().post("/api/v1/models/churn/rollback")
                .then().statusCode(409).body("field", equalTo("from_version"))
                .body("detail", equalTo("from_version: churn v2 is not in production (v3 is); nothing was rolled back"));
        as(p.read()).when().get("/api/v1/models/churn/production").then().body("version", equalTo(3));

        as(p.write()).contentType("application/json").body(Map.of("reason", "v3 misbehaves", "from_version", 3))
                .when().post("/api/v1/models/churn/rollback")
                .then().statusCode(200).body("from_version", equalTo(3)).body("to_version", equalTo(2));
        // the same call again (its answer lost, say) does not roll v2 back too
        as(p.write()).contentType("application/json").body(Map.of("reason", "v3 misbehaves", "from_version", 3))
                .when().post("/api/v1/models/churn/rollback")
                .then().statusCode(409).body("detail", containsString("churn v3 is not in production (v2 is)"));
        as(p.read()).when().get("/api/v1/models/churn/production").then().body("version", equalTo(2));
        as(p.write()).contentType("application/json").body(Map.of("reason", "x", "from_version", 0))
                .when().post("/api/v1/models/churn/rollback").then().statusCode(400).body("field", equalTo("from_version"));
    }

    @Test
    void aRollbackCannotTakeAVersionThatNeverServedPastTheGate() throws SQLException {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
        int unmeasured = upload(p.write(), "churn", resource("models/churn-model.json"), null)
                .then().statusCode(201).extract().path("version");
        promote(p.write(), "churn", unmeasured, "production").then().statusCode(409)
                .body("errors.field", hasItem("metric_f1"));

        as(p.write()).contentType("application/json").body(Map.of("reason", "x", "to_version", unmeasured))
                .when().post("/api/v1/models/churn/rollback")
                .then().statusCode(409).contentType("application/problem+json")
                .body("field", equalTo("to_version"))
                .body("detail", equalTo("to_version: churn v2 was never in production, so a rollback cannot restore it; "
                        + "promote it through the deployment gate (POST /api/v1/models/churn/versions/2/stage), which an "
                        + "admin key may force"));
        assertThat(stages(p.name(), "churn")).containsExactly("production", "none");
        as(p.read()).when().get("/api/v1/models/churn/history")
                .then().body("total", equalTo(1)).body("items[0].version", equalTo(1));
        assertThat(metric("keel_registry_rollbacks_total", Map.of("project", p.name(), "model", "churn"))).isNull();
    }

    @Test
    void aRollbackCannotPutAFirstVersionIntoProductionWhenThereIsNone() throws SQLException {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "staging").then().statusCode(200);
        as(p.write()).contentType("application/json").body(Map.of("reason", "x", "to_version", 1))
                .when().post("/api/v1/models/churn/rollback")
                .then().statusCode(409).body("field", equalTo("to_version"))
                .body("detail", containsString("churn v1 was never in production"));
        assertThat(stages(p.name(), "churn")).containsExactly("staging");
        as(p.read()).when().get("/api/v1/models/churn/production").then().statusCode(404);

        // once it served and was archived, it can be put back with no production version in its place
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
        promote(p.write(), "churn", 1, "archived").then().statusCode(200);
        as(p.write()).contentType("application/json").body(Map.of("reason", "restore", "to_version", 1))
                .when().post("/api/v1/models/churn/rollback")
                .then().statusCode(200).body("from_version", nullValue()).body("to_version", equalTo(1));
        assertThat(stages(p.name(), "churn")).containsExactly("production");
    }

    @Test
    void rollbackWithNothingToGoBackToIs409() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        Map<String, Object> body = Map.of("reason", "panic");
        as(p.write()).contentType("application/json").body(body).when().post("/api/v1/models/churn/rollback")
                .then().statusCode(409).body("detail", containsString("has no production version to roll back from"));
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
        as(p.write()).contentType("application/json").body(body).when().post("/api/v1/models/churn/rollback")
                .then().statusCode(409).body("detail", containsString("has had no other production version"));
        as(p.write()).contentType("application/json").body(Map.of("reason", "")).when().post("/api/v1/models/churn/rollback")
                .then().statusCode(400).body("field", equalTo("reason"));
    }

    @Test
    void theHistoryRecordsEveryTransitionWithActorAndReasonNewestFirst() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "staging").then().statusCode(200);
        promote(p.admin(), "churn", 1, "production").then().statusCode(200);
        promote(p.write(), "churn", 2, "production").then().statusCode(200);

        as(p.read()).when().get("/api/v1/models/churn/history")
                .then().statusCode(200)
                .body("total", equalTo(4))
                .body("items.version", contains(2, 1, 1, 1))
                .body("items.to_stage", contains("production", "archived", "production", "staging"))
                .body("items.from_stage", contains("none", "production", "staging", "none"))
                .body("items[1].reason", equalTo("superseded by v2"))
                .body("items[2].actor", startsWith("admin-"))
                .body("items[3].actor", startsWith("write-"))
                .body("items.created_at", everyItem(startsWith("20")));
        upload(p.write(), "churn", resource("models/churn-model.json"), null).then().statusCode(201);
    }

    @Test
    void aModelWithAProductionVersionCannotBeDeleted() {
        var p = newProjectWithKeys();
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
        as(p.admin()).when().delete("/api/v1/models/churn")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("has version 1 in production"));

        promote(p.write(), "churn", 1, "archived").then().statusCode(200);
        as(p.admin()).when().delete("/api/v1/models/churn").then().statusCode(204);
        as(p.read()).when().get("/api/v1/models/churn").then().statusCode(404);
    }

    private List<String> stages(String project, String model) throws SQLException {
        List<String> stages = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT v.stage FROM model_versions v JOIN registered_models m ON m.id = v.model_id
                JOIN projects p ON p.id = m.project_id WHERE p.name = ? AND m.name = ? ORDER BY v.version""")) {
            ps.setString(1, project);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stages.add(rs.getString(1));
                }
            }
        }
        return stages;
    }
}
