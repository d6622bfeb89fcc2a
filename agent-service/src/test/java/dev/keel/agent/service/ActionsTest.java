package dev.keel.agent.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each action's real effect on the stubbed services, approvals, and the agent's guards. */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class ActionsTest {

    private static final String ADMIN_KEY = "test-bootstrap-admin-key-agent-5c0f9e1b";

    @Inject
    DataSource dataSource;

    @Inject
    ExpiryJob expiry;

    @Inject
    StrandedActionsJob stranded;

    @InjectDownstream
    Downstream stubs;

    Fixtures f;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "actions");
    }

    private JsonPath signal(String kind, String model, String evidence) {
        return f.signal("{\"kind\": \"" + kind + "\", \"model_name\": \"" + model + "\", \"evidence\": " + evidence + "}")
                .extract().jsonPath();
    }

    private static long actionId(JsonPath diagnosis, String action) {
        return diagnosis.getLong("actions.find { it.action == '" + action + "' }.id");
    }

    /** POSTs to the registry's {@code path} get {@code first} once, then {@code then}. */
    private void registryAnswersInTurn(String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        stubs.registry.stubFor(post(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("answered once"));
        stubs.registry.stubFor(post(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("answered once")
                .willReturn(then));
    }

    /** The retraining requests training-service received for the model (not the reads of its retrain schedule). */
    private List<LoggedRequest> retrainRequests(String model) {
        return stubs.training.findAll(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/retrain")));
    }

    private Response approve(String key, long id, String comment) {
        return given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(comment == null ? "{}" : "{\"comment\": \"" + comment + "\"}")
                .when().post("/api/v1/agent/actions/" + id + "/approve");
    }

    private Response reject(String key, long id, String comment) {
        return given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(comment == null ? "{}" : "{\"comment\": \"" + comment + "\"}")
                .when().post("/api/v1/agent/actions/" + id + "/reject");
    }

    @Test
    void lowRiskActionsRunAtOnceAndGenerateReportAsksDriftService() {
        String model = Fixtures.model("report");
        JsonPath d = signal("data_drift", model, "{\"dataset_drift\": true, \"drift_share\": 0.6, \"drift_score\": 0.3, "
                + "\"severity\": \"warning\"}");
        assertThat(d.getList("actions.action")).containsExactly("send_alert", "generate_report");
        assertThat(d.getList("actions.status")).containsOnly("succeeded");
        assertThat(d.getInt("actions.find { it.action == 'generate_report' }.result.report_id")).isEqualTo(99);
        long alert = d.getLong("actions.find { it.action == 'send_alert' }.alert_id");
        assertThat(d.getLong("actions.find { it.action == 'generate_report' }.alert_id")).isEqualTo(alert);

        List<LoggedRequest> sent = stubs.drift.findAll(postRequestedFor(urlPathEqualTo("/api/v1/drift/reports"))
                .withRequestBody(containing(model)));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getHeader("X-Keel-Project")).isEqualTo(f.project.name());
        assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer " + ADMIN_KEY);
        assertThat(sent.get(0).getBodyAsString()).contains("\"model_name\":\"" + model + "\"");
        Fixtures.await("the webhook to hear of the alert", () -> !stubs.webhook.deliveredMentioning(model).isEmpty());
        // without KEEL_CONSOLE_PUBLIC_URL the message carries no link (WebhookConsoleLinksTest: with it)
        assertThat(stubs.webhook.deliveredMentioning(model).get(0)).contains("[WARNING] Data drift in " + model)
                .contains("(project " + f.project.name() + ", alert " + alert + ")").doesNotContain("console");
    }

    @Test
    void aDriftServiceAnswering503IsAskedAgainForTheReport() {
        String model = Fixtures.model("drift-restarting");
        stubs.drift.stubFor(post(urlPathEqualTo("/api/v1/drift/reports")).atPriority(1).withRequestBody(containing(model))
                .inScenario(model).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Downstream.databaseRestarting())
                .willSetStateTo("back"));
        stubs.drift.stubFor(post(urlPathEqualTo("/api/v1/drift/reports")).atPriority(1).withRequestBody(containing(model))
                .inScenario(model).whenScenarioStateIs("back")
                .willReturn(Downstream.json(201, "{\"id\": 100, \"model_version\": 1, \"dataset_drift\": true, "
                        + "\"drift_score\": 0.41, \"severity\": \"warning\"}")));

        JsonPath d = signal("data_drift", model, "{\"dataset_drift\": true, \"drift_share\": 0.6, \"drift_score\": 0.3, "
                + "\"severity\": \"warning\"}");
        assertThat(d.getString("actions.find { it.action == 'generate_report' }.status")).isEqualTo("succeeded");
        assertThat(d.getInt("actions.find { it.action == 'generate_report' }.result.report_id")).isEqualTo(100);
        assertThat(stubs.drift.findAll(postRequestedFor(urlPathEqualTo("/api/v1/drift/reports"))
                .withRequestBody(containing(model)))).hasSize(2);
    }

    @Test
    void adjustThresholdSetsTheProductionVersionsThresholdInTheRegistry() throws Exception {
        String model = Fixtures.model("threshold");
        f.production(model, 2, 0.8, 0.8, 0.5);
        JsonPath d = signal("prediction_anomaly", model, "{\"positive_rate\": 0.45, \"reference_positive_rate\": 0.25, "
                + "\"proposed_threshold\": 0.42}");
        assertThat(d.getString("actions.find { it.action == 'adjust_threshold' }.status")).isEqualTo("succeeded");
        assertThat(d.getFloat("actions.find { it.action == 'adjust_threshold' }.result.decision_threshold")).isEqualTo(0.42f);
        List<LoggedRequest> sent = Downstream.received(stubs.registry, "/api/v1/models/" + model + "/versions/2");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getMethod().getName()).isEqualTo("PATCH");
        assertThat(sent.get(0).getHeader("X-Keel-Project")).isEqualTo(f.project.name());
        assertThat(sent.get(0).getBodyAsString()).contains("\"decision_threshold\":0.42").contains("\"reason\":\"agent action");
    }

    @Test
    void adjustThresholdDerivesTheCutOffThatRestoresTheReferencePositiveRate() throws Exception {
        String model = Fixtures.model("derived");
        f.production(model, 1, 0.8, 0.8, 0.5);
        // probabilities 0.005 .. 0.995: a reference rate of 30 % positive means a cut-off near 0.7
        f.predictions(model, 1, 100, Instant.now(), i -> (i + 0.5) / 100.0, Fixtures::goodFeatures);
        JsonPath d = signal("prediction_anomaly", model, "{\"positive_rate\": 0.5, \"reference_positive_rate\": 0.3}");
        assertThat(d.getDouble("actions.find { it.action == 'adjust_threshold' }.params.decision_threshold"))
                .isBetween(0.69, 0.71);
        assertThat(d.getDouble("actions.find { it.action == 'adjust_threshold' }.params.previous_threshold")).isEqualTo(0.5);
        assertThat(Downstream.received(stubs.registry, "/api/v1/models/" + model + "/versions/1")).hasSize(1);
    }

    @Test
    void adjustThresholdIsSkippedForAModelWithoutADecisionThreshold() throws Exception {
        String model = Fixtures.model("regression");
        f.production(model, 3, 0.8, 0.8, 0.5);
        f.objective(model, "reg:squarederror");
        JsonPath d = signal("prediction_anomaly", model, "{\"positive_rate\": 0.45, \"reference_positive_rate\": 0.25, "
                + "\"proposed_threshold\": 0.42}");
        assertThat(d.getString("actions.find { it.action == 'adjust_threshold' }.status")).isEqualTo("skipped");
        assertThat(d.getString("actions.find { it.action == 'adjust_threshold' }.result.reason")).isEqualTo("not_applicable");
        assertThat(d.getString("actions.find { it.action == 'adjust_threshold' }.result.detail"))
                .contains("is not a binary classifier (objective 'reg:squarederror')");
        assertThat(Downstream.received(stubs.registry, "/api/v1/models/" + model + "/versions/3")).isEmpty();
    }

    @Test
    void collectDiagnosticsAndValidateDataStoreWhatTheyFound() throws Exception {
        String model = Fixtures.model("bundle");
        f.production(model, 4, 0.8, 0.8, 0.5);
        f.predictions(model, 4, 20, Instant.now(), i -> 0.7,
                i -> i % 5 == 0 ? "{\"age\": null, \"plan\": \"basic\"}" : Fixtures.goodFeatures(i));
        JsonPath quality = signal("data_quality", model, "{\"invalid_rate\": 0.1}");
        assertThat(quality.getString("actions.find { it.action == 'validate_data' }.status")).isEqualTo("succeeded");
        assertThat(quality.getInt("actions.find { it.action == 'validate_data' }.result.rows")).isEqualTo(20);
        assertThat(quality.getFloat("actions.find { it.action == 'validate_data' }.result.missing_rate")).isEqualTo(0.2f);
        assertThat(quality.getInt("actions.find { it.action == 'validate_data' }.result.features.age.missing")).isEqualTo(4);
        assertThat(quality.getBoolean("actions.find { it.action == 'validate_data' }.result.passed")).isFalse();

        JsonPath perf = signal("low_confidence", model, "{\"low_confidence_share\": 0.35}");
        long id = actionId(perf, "collect_diagnostics");
        given().header("X-API-Key", f.project.readKey()).when().get("/api/v1/agent/actions/" + id)
                .then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("result.production_version.version", equalTo(4))
                .body("result.traffic.predictions", equalTo(20))
                .body("result.traffic.positive_rate", equalTo(1.0f))
                .body("explanation", containsString("35.0%"));
    }

    @Test
    void retrainWaitsForApprovalThenAsksTrainingService() {
        String model = Fixtures.model("retrain");
        JsonPath d = signal("low_confidence", model, "{\"low_confidence_share\": 0.6}");
        long id = actionId(d, "retrain_model");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.status")).isEqualTo("pending_approval");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.risk")).isEqualTo("medium");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.expires_at")).isNotNull();
        assertThat(retrainRequests(model)).isEmpty();
        Fixtures.await("the webhook to ask for approval",
                () -> stubs.webhook.deliveredMentioning(model).stream().anyMatch(b -> b.contains("Approval needed")));
        // without KEEL_CONSOLE_PUBLIC_URL the request ends with the API's path, as it always did
        assertThat(stubs.webhook.deliveredMentioning(model).stream().filter(b -> b.contains("Approval needed")).toList())
                .singleElement().asString().startsWith("{\"text\":\"Approval needed: retrain_model (medium risk) for " + model
                        + " in project " + f.project.name() + ", action " + id + ".\\n")
                .endsWith("\\nApprove or reject: POST /api/v1/agent/actions/" + id + "/approve | /reject\"}");

        approve(f.project.approverKey(), id, "go ahead").then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("decided_by", equalTo("approver"))
                .body("decision_comment", equalTo("go ahead"))
                .body("decided_at", notNullValue())
                .body("result.training_run_id", equalTo(77));
        List<LoggedRequest> sent = retrainRequests(model);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getBodyAsString()).contains("\"trigger\":\"agent\"").contains("approved by approver");
        assertThat(sent.get(0).getHeader("X-Keel-Project")).isEqualTo(f.project.name());
        assertThat(sent.get(0).getHeader("Idempotency-Key")).isEqualTo("keel-agent-action-" + id);

        given().accept("text/plain").when().get("/q/metrics").then().statusCode(200)
                .body(containsString("keel_agent_actions_total{action=\"retrain_model\",risk=\"medium\",status=\"succeeded\""))
                .body(containsString("keel_agent_actions_total{action=\"retrain_model\",risk=\"medium\",status=\"approved\""));

        // approving again changes nothing and runs nothing
        approve(f.project.adminKey(), id, "again").then().statusCode(200).body("decided_by", equalTo("approver"));
        assertThat(retrainRequests(model)).hasSize(1);
    }

    @Test
    void rollbackIsHighRiskAndRunsOnlyAfterAnAdminApproves() throws Exception {
        String model = Fixtures.model("rollback");
        f.production(model, 3, 0.84, 0.88, 0.5);
        f.earlierProduction(model, 2);
        JsonPath d = signal("performance_degradation", model, "{\"f1\": 0.6}");
        long id = actionId(d, "rollback_model");
        assertThat(d.getString("actions.find { it.action == 'rollback_model' }.risk")).isEqualTo("high");
        approve(f.project.writeKey(), id, null).then().statusCode(403);
        approve(f.project.readKey(), id, null).then().statusCode(403).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").when().post("/api/v1/agent/actions/" + id + "/approve")
                .then().statusCode(401);
        assertThat(Downstream.received(stubs.registry, "/api/v1/models/" + model + "/rollback")).isEmpty();

        approve(f.project.adminKey(), id, "v3 is broken").then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("decided_by", equalTo("admin"))
                .body("result.to_version", equalTo(2));
        List<LoggedRequest> sent = Downstream.received(stubs.registry, "/api/v1/models/" + model + "/rollback");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getBodyAsString()).contains("\"reason\":\"agent action " + id)
                .as("the rollback names the version the diagnosis was about").contains("\"from_version\":3");
    }

    @Test
    void aRollbackProposedFromASignalWithoutAVersionNamesTheProductionOne() throws Exception {
        String model = Fixtures.model("unversioned");
        f.production(model, 5, 0.84, 0.88, 0.5);
        f.earlierProduction(model, 4);
        // a critical anomaly reported with no model_version: the rollback must still name v5, so that
        // sending it again after a lost answer cannot roll back twice
        JsonPath d = signal("prediction_anomaly", model, "{\"positive_rate\": 0.05, \"reference_positive_rate\": 0.45}");
        assertThat(d.getString("severity")).isEqualTo("critical");
        assertThat(d.getInt("actions.find { it.action == 'rollback_model' }.params.model_version")).isEqualTo(5);
    }

    @Test
    void aRollbackApprovedAfterProductionMovedOnIsRefusedByTheRegistryAndRecordedAsFailed() throws Exception {
        String model = Fixtures.model("stale");
        f.production(model, 3, 0.84, 0.88, 0.5);
        f.earlierProduction(model, 2);
        long id = actionId(signal("performance_degradation", model, "{\"f1\": 0.6}"), "rollback_model");
        // meanwhile someone promoted v4: the registry refuses to roll back v3, which is no longer production
        stubs.registry.stubFor(post(urlPathEqualTo("/api/v1/models/" + model + "/rollback"))
                .willReturn(Downstream.json(409, "{\"title\": \"Conflict\", \"status\": 409, \"field\": \"from_version\", "
                        + "\"detail\": \"from_version: " + model + " v3 is not in production (v4 is); nothing was rolled back\"}")));

        approve(f.project.adminKey(), id, "v3 is broken").then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("result.reason", equalTo("error"))
                .body("result.detail", containsString("HTTP 409 from_version: " + model + " v3 is not in production (v4 is)"));
        assertThat(Downstream.received(stubs.registry, "/api/v1/models/" + model + "/rollback"))
                .as("a refusal is not retried").hasSize(1);
    }

    @Test
    void aRegistryAnswering503IsAskedAgainAndTheRollbackGoesThrough() throws Exception {
        String model = Fixtures.model("restarting");
        f.production(model, 3, 0.84, 0.88, 0.5);
        f.earlierProduction(model, 2);
        long id = actionId(signal("performance_degradation", model, "{\"f1\": 0.6}"), "rollback_model");
        String path = "/api/v1/models/" + model + "/rollback";
        registryAnswersInTurn(path, Downstream.databaseRestarting(),
                Downstream.json(200, "{\"from_version\": 3, \"to_version\": 2, \"transitions\": []}"));

        approve(f.project.adminKey(), id, "v3 is broken").then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("result.to_version", equalTo(2));
        assertThat(Downstream.received(stubs.registry, path)).hasSize(2)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("\"from_version\":3"));
    }

    @Test
    void aRollbackWhoseAnswerWasLostIsNotRecordedAsFailedByTheRetrysConflict() throws Exception {
        String model = Fixtures.model("lost-rollback");
        f.production(model, 3, 0.84, 0.88, 0.5);
        f.earlierProduction(model, 2);
        long id = actionId(signal("performance_degradation", model, "{\"f1\": 0.6}"), "rollback_model");
        String path = "/api/v1/models/" + model + "/rollback";
        // the registry rolls v3 back to v2 and records it, then the connection drops before its answer;
        // the retry hears 409 "v3 is not in production"
        registryAnswersInTurn(path, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                Downstream.json(409, "{\"title\": \"Conflict\", \"status\": 409, \"field\": \"from_version\", "
                        + "\"detail\": \"from_version: " + model + " v3 is not in production (v2 is); nothing was rolled back\"}"));
        f.execute("""
                INSERT INTO stage_transitions (model_id, version_id, version, from_stage, to_stage, actor, reason, kind, details)
                SELECT m.id, v.id, 2, 'archived', 'production', 'bootstrap-admin', ?, 'rollback', '{"rolled_back_from": 3}'::jsonb
                FROM registered_models m JOIN model_versions v ON v.model_id = m.id AND v.version = 2
                WHERE m.project_id = ? AND m.name = ?""", "agent action " + id + ", approved by admin: F1 fell", f.project.id(), model);

        approve(f.project.adminKey(), id, "v3 is broken").then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("result.from_version", equalTo(3))
                .body("result.to_version", equalTo(2));
        assertThat(Downstream.received(stubs.registry, path)).hasSize(2);
    }

    @Test
    void aFirstProductionVersionIsRetrainedInsteadOfRolledBack() throws Exception {
        String model = Fixtures.model("first-version");
        f.production(model, 1, 0.84, 0.88, 0.5);
        f.trainingRun(model);
        JsonPath d = signal("performance_degradation", model, "{\"f1\": 0.6}");
        assertThat(d.getString("severity")).isEqualTo("critical");
        // the registry would answer a rollback 409 "no other production version": retraining is proposed instead
        assertThat(d.getList("actions.action")).containsExactly("send_alert", "collect_diagnostics", "retrain_model");
        long id = actionId(d, "retrain_model");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.status")).isEqualTo("pending_approval");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.params.instead_of")).isEqualTo("rollback_model");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.explanation"))
                .contains("Retraining is proposed instead of a rollback: " + model + " v1 is its first production version");
        Fixtures.await("the webhook to ask for approval of the retraining, saying why", () -> stubs.webhook
                .deliveredMentioning(model).stream().anyMatch(b -> b.contains("retrain_model") && b.contains("instead of a rollback")));

        approve(f.project.approverKey(), id, "retrain it").then().statusCode(200).body("status", equalTo("succeeded"));
        assertThat(retrainRequests(model)).hasSize(1);
        assertThat(Downstream.received(stubs.registry, "/api/v1/models/" + model + "/rollback")).isEmpty();
    }

    @Test
    void aRollbackOrRetrainingThatCannotRunIsRecordedNotApplicableInsteadOfProposed() throws Exception {
        String model = Fixtures.model("never-trained");
        f.production(model, 1, 0.84, 0.88, 0.5);
        // never trained by Keel, and training-service's default source has no data for it yet (too few labels): a 422
        stubs.training.stubFor(get(urlPathEqualTo("/api/v1/models/" + model + "/retrain-schedule"))
                .willReturn(Downstream.json(200, "{\"model\": \"" + model + "\", \"data_source\": \"auto\", "
                        + "\"data_available\": false}")));

        JsonPath anomaly = signal("prediction_anomaly", model, "{\"positive_rate\": 0.05, \"reference_positive_rate\": 0.45}");
        assertThat(anomaly.getString("severity")).isEqualTo("critical");
        assertThat(anomaly.getList("actions.action")).containsExactly("send_alert", "collect_diagnostics", "rollback_model");
        assertThat(anomaly.getString("actions.find { it.action == 'rollback_model' }.status")).isEqualTo("skipped");
        assertThat(anomaly.getString("actions.find { it.action == 'rollback_model' }.result.reason")).isEqualTo("not_applicable");
        assertThat(anomaly.getString("actions.find { it.action == 'rollback_model' }.result.detail"))
                .contains(model + " v1 is its first production version")
                .contains("retraining instead is not possible either")
                .contains("no earlier training run");
        JsonPath unsure = signal("low_confidence", model, "{\"low_confidence_share\": 0.6}");
        assertThat(unsure.getString("actions.find { it.action == 'retrain_model' }.status")).isEqualTo("skipped");
        assertThat(unsure.getString("actions.find { it.action == 'retrain_model' }.result.reason")).isEqualTo("not_applicable");
        List<LoggedRequest> asked = stubs.training.findAll(getRequestedFor(
                urlPathEqualTo("/api/v1/models/" + model + "/retrain-schedule")));
        assertThat(asked).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getHeader("X-Keel-Project")).isEqualTo(f.project.name());
            assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + ADMIN_KEY);
        });
        Thread.sleep(300);   // the webhook is asynchronous: give a wrong request for approval time to arrive
        assertThat(stubs.webhook.attemptsMentioning(model).stream().filter(b -> b.contains("Approval needed"))).isEmpty();

        // a model never trained whose source has data now (enough labelled traffic) can be retrained
        String sourced = Fixtures.model("feedback-sourced");
        f.production(sourced, 1, 0.84, 0.88, 0.5);
        stubs.training.stubFor(get(urlPathEqualTo("/api/v1/models/" + sourced + "/retrain-schedule"))
                .willReturn(Downstream.json(200, "{\"model\": \"" + sourced + "\", \"data_source\": \"auto\", "
                        + "\"data_available\": true}")));
        JsonPath d = signal("prediction_anomaly", sourced, "{\"positive_rate\": 0.05, \"reference_positive_rate\": 0.45}");
        assertThat(d.getList("actions.action")).containsExactly("send_alert", "collect_diagnostics", "retrain_model");
        assertThat(d.getString("actions.find { it.action == 'retrain_model' }.status")).isEqualTo("pending_approval");

        // a training-service that does not say whether there is data: its source latest has none for a model never trained
        String older = Fixtures.model("older-training");
        f.production(older, 1, 0.84, 0.88, 0.5);
        stubs.training.stubFor(get(urlPathEqualTo("/api/v1/models/" + older + "/retrain-schedule"))
                .willReturn(Downstream.json(200, "{\"model\": \"" + older + "\", \"data_source\": \"latest\"}")));
        JsonPath o = signal("low_confidence", older, "{\"low_confidence_share\": 0.6}");
        assertThat(o.getString("actions.find { it.action == 'retrain_model' }.result.reason")).isEqualTo("not_applicable");
    }

    @Test
    void aRetrainRequestWhoseAnswerWasLostIsSentAgainWithTheSameIdempotencyKey() {
        String model = Fixtures.model("lost-answer");
        long id = actionId(signal("low_confidence", model, "{\"low_confidence_share\": 0.6}"), "retrain_model");
        String path = "/api/v1/models/" + model + "/retrain";
        // the connection drops before the answer (the run may have been queued), then a restarting service answers 503
        stubs.training.stubFor(post(urlPathEqualTo(path)).inScenario(model).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("restarting"));
        stubs.training.stubFor(post(urlPathEqualTo(path)).inScenario(model).whenScenarioStateIs("restarting")
                .willReturn(Downstream.databaseRestarting())
                .willSetStateTo("back"));
        // training-service answers the run the key started: 200, not a second 202
        stubs.training.stubFor(post(urlPathEqualTo(path)).inScenario(model).whenScenarioStateIs("back")
                .willReturn(Downstream.json(200, "{\"id\": 78, \"status\": \"running\"}")));

        approve(f.project.approverKey(), id, "go ahead").then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("result.training_run_id", equalTo(78))
                .body("result.training_status", equalTo("running"));
        List<LoggedRequest> sent = retrainRequests(model);
        assertThat(sent).hasSize(3).allSatisfy(r -> {
            assertThat(r.getHeader("Idempotency-Key")).isEqualTo("keel-agent-action-" + id);
            assertThat(r.getBodyAsString()).isEqualTo(sent.get(0).getBodyAsString());
        });
    }

    @Test
    void aRejectionNeedsACommentIsFinalAndRunsNothing() throws Exception {
        String model = Fixtures.model("reject");
        long id = actionId(signal("low_confidence", model, "{\"low_confidence_share\": 0.7}"), "retrain_model");
        reject(f.project.approverKey(), id, null).then().statusCode(400).body("field", equalTo("comment"));
        Fixtures other = new Fixtures(dataSource, "actions-other");
        reject(other.project.approverKey(), id, "not yours").then().statusCode(404).contentType("application/problem+json");
        reject(f.project.approverKey(), id, "labels are late, not the model").then().statusCode(200)
                .body("status", equalTo("rejected"))
                .body("decided_by", equalTo("approver"))
                .body("decision_comment", equalTo("labels are late, not the model"))
                .body("finished_at", notNullValue());
        reject(f.project.approverKey(), id, "again").then().statusCode(200).body("decision_comment",
                equalTo("labels are late, not the model"));
        // a repeat is a rejection too: without a comment it is refused before the action is looked at
        reject(f.project.approverKey(), id, null).then().statusCode(400).body("field", equalTo("comment"));
        approve(f.project.approverKey(), id, null).then().statusCode(409).contentType("application/problem+json");
        assertThat(retrainRequests(model)).isEmpty();
    }

    @Test
    void ofTwoConcurrentDecisionsExactlyOneWins() throws Exception {
        String model = Fixtures.model("race");
        long approveTwice = actionId(signal("low_confidence", model, "{\"low_confidence_share\": 0.7}"), "retrain_model");
        List<Response> both = race(() -> approve(f.project.approverKey(), approveTwice, "me"),
                () -> approve(f.project.adminKey(), approveTwice, "me too"));
        assertThat(both).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(retrainRequests(model)).hasSize(1);
        assertThat(both.stream().map(r -> r.jsonPath().getString("decided_by")).distinct()).hasSize(1);

        String other = Fixtures.model("race2");
        long contested = actionId(signal("low_confidence", other, "{\"low_confidence_share\": 0.7}"), "retrain_model");
        List<Response> split = race(() -> approve(f.project.approverKey(), contested, "yes"),
                () -> reject(f.project.adminKey(), contested, "no"));
        assertThat(split.stream().map(Response::statusCode).sorted()).containsExactly(200, 409);
        String status = given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + contested)
                .then().statusCode(200).extract().path("status");
        assertThat(retrainRequests(other))
                .hasSize("rejected".equals(status) ? 0 : 1);
    }

    private static List<Response> race(Callable<Response> a, Callable<Response> b) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Response> fa = pool.submit(() -> {
                start.await();
                return a.call();
            });
            Future<Response> fb = pool.submit(() -> {
                start.await();
                return b.call();
            });
            start.countDown();
            return List.of(fa.get(), fb.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aProposalNobodyDecidesExpires() throws Exception {
        String model = Fixtures.model("expiry");
        long id = actionId(signal("low_confidence", model, "{\"low_confidence_share\": 0.7}"), "retrain_model");
        f.execute("UPDATE agent_actions SET expires_at = now() - interval '1 second' WHERE id = ?", id);
        assertThat(expiry.runOnce()).isGreaterThanOrEqualTo(1);
        given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + id)
                .then().statusCode(200).body("status", equalTo("expired")).body("finished_at", notNullValue());
        approve(f.project.approverKey(), id, null).then().statusCode(409).body("detail", containsString("expired"));
        assertThat(retrainRequests(model)).isEmpty();
    }

    @Test
    void actionsAStoppedReplicaLeftHalfDoneAreSettled() throws Exception {
        // approved, then the replica stopped before starting it: a retried approval runs it once
        String retried = Fixtures.model("stranded-retry");
        long first = actionId(signal("low_confidence", retried, "{\"low_confidence_share\": 0.6}"), "retrain_model");
        f.execute("UPDATE agent_actions SET status = 'approved', decided_by = 'approver', decided_at = now() WHERE id = ?", first);
        approve(f.project.approverKey(), first, "again").then().statusCode(200)
                .body("status", equalTo("succeeded")).body("decided_by", equalTo("approver"));
        approve(f.project.approverKey(), first, "and again").then().statusCode(200).body("status", equalTo("succeeded"));
        assertThat(retrainRequests(retried)).hasSize(1);

        // ... and nobody retried: the recovery job runs it a minute after the decision
        String left = Fixtures.model("stranded-job");
        long second = actionId(signal("low_confidence", left, "{\"low_confidence_share\": 0.6}"), "retrain_model");
        f.execute("UPDATE agent_actions SET status = 'approved', decided_by = 'approver', "
                + "decided_at = now() - interval '2 minutes' WHERE id = ?", second);
        // running when its replica stopped: after keel.agent.interrupted-after it is failed, outcome unknown
        String cut = Fixtures.model("stranded-running");
        long third = actionId(signal("low_confidence", cut, "{\"low_confidence_share\": 0.6}"), "retrain_model");
        f.execute("UPDATE agent_actions SET status = 'running', decided_by = 'approver', decided_at = now() - interval '2 hours', "
                + "started_at = now() - interval '2 hours' WHERE id = ?", third);

        // approved two days ago and never started: too late to act on its evidence
        String stale = Fixtures.model("stranded-stale");
        long fourth = actionId(signal("low_confidence", stale, "{\"low_confidence_share\": 0.6}"), "retrain_model");
        f.execute("UPDATE agent_actions SET status = 'approved', decided_by = 'approver', "
                + "decided_at = now() - interval '2 days' WHERE id = ?", fourth);

        assertThat(stranded.runOnce()).isGreaterThanOrEqualTo(3);
        given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + fourth)
                .then().statusCode(200).body("status", equalTo("failed")).body("result.reason", equalTo("interrupted"))
                .body("result.detail", containsString("not run this late"));
        assertThat(retrainRequests(stale)).isEmpty();
        given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + second)
                .then().statusCode(200).body("status", equalTo("succeeded")).body("result.training_run_id", equalTo(77));
        assertThat(retrainRequests(left)).hasSize(1);
        given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + third)
                .then().statusCode(200).body("status", equalTo("failed")).body("result.reason", equalTo("interrupted"))
                .body("finished_at", notNullValue());
        assertThat(retrainRequests(cut)).as("not run again").isEmpty();
        stranded.runOnce();   // a second pass finds nothing of these to settle again
        assertThat(retrainRequests(left)).hasSize(1);
        given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + third)
                .then().body("status", equalTo("failed"));
    }

    @Test
    void anInterruptedRollbackOrRetrainingThatTookEffectIsRecordedAsSucceededNotFailed() throws Exception {
        // the agent was killed waiting for the registry's answer to a rollback the registry then made
        String rolled = Fixtures.model("killed-rollback");
        f.production(rolled, 3, 0.84, 0.88, 0.5);
        f.earlierProduction(rolled, 2);
        long rollback = actionId(signal("performance_degradation", rolled, "{\"f1\": 0.6}"), "rollback_model");
        f.execute("UPDATE agent_actions SET status = 'running', decided_by = 'approver', decision_comment = 'v3 is broken', "
                + "decided_at = now() - interval '2 hours', started_at = now() - interval '2 hours' WHERE id = ?", rollback);
        f.execute("""
                INSERT INTO stage_transitions (model_id, version_id, version, from_stage, to_stage, actor, reason, kind, details)
                SELECT m.id, v.id, v.version, 'archived', 'production', 'bootstrap-admin', ?, 'rollback', '{"rolled_back_from": 3}'
                FROM registered_models m JOIN model_versions v ON v.model_id = m.id AND v.version = 2
                WHERE m.project_id = ? AND m.name = ?""",
                "agent action " + rollback + ", approved by approver: F1 fell", f.project.id(), rolled);
        // ... and killed waiting for training-service, which started the run the action's key asked for
        String retrained = Fixtures.model("killed-retrain");
        long retrain = actionId(signal("low_confidence", retrained, "{\"low_confidence_share\": 0.6}"), "retrain_model");
        f.execute("UPDATE agent_actions SET status = 'running', decided_by = 'approver', decided_at = now() - interval '2 hours', "
                + "started_at = now() - interval '2 hours' WHERE id = ?", retrain);
        f.execute("INSERT INTO training_runs (project_id, model_name, trigger, triggered_by, status, idempotency_key) "
                + "VALUES (?, ?, 'agent', 'bootstrap-admin', 'running', ?)", f.project.id(), retrained,
                "keel-agent-action-" + retrain);
        long runId = f.count("SELECT id FROM training_runs WHERE project_id = ? AND idempotency_key = ?", f.project.id(),
                "keel-agent-action-" + retrain);

        assertThat(stranded.runOnce()).isGreaterThanOrEqualTo(2);
        given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + rollback)
                .then().statusCode(200).body("status", equalTo("succeeded"))
                .body("result.from_version", equalTo(3)).body("result.to_version", equalTo(2))
                .body("result.interrupted", equalTo(true))
                .body("decided_by", equalTo("approver")).body("decision_comment", equalTo("v3 is broken"))
                .body("finished_at", notNullValue());
        given().header("X-API-Key", f.project.readKey()).get("/api/v1/agent/actions/" + retrain)
                .then().statusCode(200).body("status", equalTo("succeeded"))
                .body("result.training_run_id", equalTo((int) runId)).body("result.training_status", equalTo("running"));
        assertThat(Downstream.received(stubs.registry, "/api/v1/models/" + rolled + "/rollback")).as("not sent again").isEmpty();
        assertThat(retrainRequests(retrained)).as("not sent again").isEmpty();
    }

    @Test
    void dryRunRecordsWhatWouldBeDoneAndChangesNothing() throws Exception {
        String model = Fixtures.model("dry");
        f.production(model, 3, 0.84, 0.88, 0.5);
        f.earlierProduction(model, 2);
        JsonPath d = f.signal("{\"kind\": \"performance_degradation\", \"model_name\": \"" + model
                + "\", \"dry_run\": true, \"evidence\": {\"f1\": 0.5}}").extract().jsonPath();
        assertThat(d.getList("actions.dry_run")).containsOnly(true);
        assertThat(d.getString("actions.find { it.action == 'send_alert' }.status")).isEqualTo("skipped");
        assertThat(d.getString("actions.find { it.action == 'send_alert' }.result.would")).contains("raise or bump");
        long rollback = actionId(d, "rollback_model");
        approve(f.project.adminKey(), rollback, "rehearsal").then().statusCode(200)
                .body("status", equalTo("skipped"))
                .body("result.dry_run", equalTo(true))
                .body("result.would", containsString("/api/v1/models/" + model + "/rollback"));
        // approving it again answers it as it stands; rejecting it now is too late
        approve(f.project.adminKey(), rollback, null).then().statusCode(200).body("status", equalTo("skipped"));
        reject(f.project.adminKey(), rollback, "no").then().statusCode(409).body("detail", containsString("already approved by admin"));
        assertThat(f.count("SELECT count(*) FROM alerts WHERE project_id = ?", f.project.id())).isZero();
        assertThat(Downstream.received(stubs.registry, model)).isEmpty();
        Thread.sleep(300);
        assertThat(stubs.webhook.attemptsMentioning(model).stream().filter(b -> !b.contains("Approval needed"))).isEmpty();

        // a dry run meets the guards too: after a real collect_diagnostics, a dry run says the cooldown would skip it
        String cooled = Fixtures.model("dry-cooled");
        f.production(cooled, 3, 0.84, 0.88, 0.5);
        signal("performance_degradation", cooled, "{\"f1\": 0.5}");
        JsonPath rehearsal = f.signal("{\"kind\": \"performance_degradation\", \"model_name\": \"" + cooled
                + "\", \"dry_run\": true, \"evidence\": {\"f1\": 0.5}}").extract().jsonPath();
        assertThat(rehearsal.getString("actions.find { it.action == 'collect_diagnostics' }.status")).isEqualTo("skipped");
        assertThat(rehearsal.getString("actions.find { it.action == 'collect_diagnostics' }.result.reason")).isEqualTo("cooldown");
        assertThat(rehearsal.getBoolean("actions.find { it.action == 'collect_diagnostics' }.dry_run")).isTrue();
    }

    @Test
    void theSameActionOnTheSameModelIsNotRepeatedWithinTheCooldown() {
        String model = Fixtures.model("cooldown");
        String evidence = "{\"dataset_drift\": true, \"drift_share\": 0.6, \"drift_score\": 0.3, \"severity\": \"warning\"}";
        signal("data_drift", model, evidence);
        JsonPath second = signal("data_drift", model, evidence);
        assertThat(second.getString("actions.find { it.action == 'generate_report' }.status")).isEqualTo("skipped");
        assertThat(second.getString("actions.find { it.action == 'generate_report' }.result.reason")).isEqualTo("cooldown");
        // the alert is not subject to the cooldown: its repeat bumps it
        assertThat(second.getString("actions.find { it.action == 'send_alert' }.status")).isEqualTo("succeeded");
        assertThat(second.getInt("actions.find { it.action == 'send_alert' }.result.occurrences")).isEqualTo(2);
        assertThat(stubs.drift.findAll(postRequestedFor(urlPathEqualTo("/api/v1/drift/reports")).withRequestBody(containing(model))))
                .hasSize(1);
        given().header("X-API-Key", f.project.readKey()).queryParam("model_name", model).queryParam("action", "generate_report")
                .when().get("/api/v1/agent/actions")
                .then().statusCode(200).body("total", equalTo(2)).body("items.model_name", everyItem(equalTo(model)));
    }

    @Test
    void aProposalStillUnderWayIsNotMadeAgainOnceTheCooldownIsOver() throws Exception {
        String model = Fixtures.model("waiting");
        String evidence = "{\"low_confidence_share\": 0.6}";
        long first = actionId(signal("low_confidence", model, evidence), "retrain_model");
        Fixtures.await("the webhook to ask for approval", () -> !stubs.webhook.deliveredMentioning(model).isEmpty());
        // the issue is signalled again after the cooldown (an hour), while the proposal is still under way:
        // waiting for a decision (it may wait a day), approved and not started yet, or running
        for (String status : List.of("pending_approval", "approved", "running")) {
            f.execute("UPDATE agent_actions SET status = ?, created_at = now() - interval '2 hours' WHERE id = ?", status, first);
            JsonPath again = signal("low_confidence", model, evidence);
            assertThat(again.getString("actions.find { it.action == 'retrain_model' }.status")).as(status).isEqualTo("skipped");
            assertThat(again.getString("actions.find { it.action == 'retrain_model' }.result.reason")).isEqualTo("already_open");
            assertThat(again.getLong("actions.find { it.action == 'retrain_model' }.result.action_id")).isEqualTo(first);
            assertThat(again.getString("actions.find { it.action == 'retrain_model' }.result.detail"))
                    .contains("retrain_model for " + model + " is already " + status + " as action " + first);
        }
        Thread.sleep(300);   // the webhook is asynchronous: give a second request for approval time to arrive
        assertThat(stubs.webhook.attemptsMentioning(model).stream().filter(b -> b.contains("Approval needed"))).hasSize(1);

        // once the proposal has expired, the issue is proposed again
        f.execute("UPDATE agent_actions SET status = 'pending_approval', expires_at = now() - interval '1 second' WHERE id = ?",
                first);
        JsonPath later = signal("low_confidence", model, evidence);
        assertThat(later.getString("actions.find { it.action == 'retrain_model' }.status")).isEqualTo("pending_approval");
        assertThat(f.count("SELECT count(*) FROM agent_actions WHERE project_id = ? AND model_name = ? "
                + "AND action = 'retrain_model' AND status = 'skipped' AND result->>'reason' = 'already_open'",
                f.project.id(), model)).isEqualTo(3);
    }

    @Test
    void signalsArrivingTogetherPassTheCooldownOnce() throws Exception {
        String model = Fixtures.model("together");
        String evidence = "{\"dataset_drift\": true, \"drift_share\": 0.6, \"drift_score\": 0.3, \"severity\": \"warning\"}";
        ExecutorService senders = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonPath>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(senders.submit(() -> {
                go.await();
                return signal("data_drift", model, evidence);
            }));
        }
        go.countDown();
        List<String> statuses = new ArrayList<>();
        for (Future<JsonPath> answer : answers) {
            statuses.add(answer.get(60, TimeUnit.SECONDS).getString("actions.find { it.action == 'generate_report' }.status"));
        }
        senders.shutdown();
        assertThat(statuses).as("generate_report of six simultaneous signals").filteredOn(st -> !"skipped".equals(st)).hasSize(1);
        assertThat(f.count("SELECT count(*) FROM agent_actions WHERE project_id = ? AND model_name = ? AND action = 'generate_report' "
                + "AND status = 'skipped' AND result->>'reason' = 'cooldown'", f.project.id(), model)).isEqualTo(5);
        assertThat(stubs.drift.findAll(postRequestedFor(urlPathEqualTo("/api/v1/drift/reports")).withRequestBody(containing(model))))
                .hasSize(1);
    }

    @Test
    void repeatedFailuresOpenTheCircuitBreaker() throws Exception {
        String prefix = Fixtures.model("broken");
        stubs.drift.stubFor(post(urlPathEqualTo("/api/v1/drift/reports")).withRequestBody(containing(prefix)).atPriority(1)
                .willReturn(Downstream.json(500, "{\"title\": \"Internal error\", \"status\": 500, \"detail\": \"boom\"}")));
        String evidence = "{\"dataset_drift\": true, \"drift_share\": 0.6, \"drift_score\": 0.3, \"severity\": \"warning\"}";
        for (int i = 0; i < 3; i++) {
            JsonPath d = signal("data_drift", prefix + "-" + i, evidence);
            assertThat(d.getString("actions.find { it.action == 'generate_report' }.status")).isEqualTo("failed");
            assertThat(d.getString("actions.find { it.action == 'generate_report' }.result.reason")).isEqualTo("error");
            assertThat(d.getString("actions.find { it.action == 'generate_report' }.result.detail")).contains("HTTP 500 boom");
        }
        JsonPath stopped = signal("data_drift", prefix + "-3", evidence);
        assertThat(stopped.getString("actions.find { it.action == 'generate_report' }.status")).isEqualTo("skipped");
        assertThat(stopped.getString("actions.find { it.action == 'generate_report' }.result.reason")).isEqualTo("circuit_open");
        assertThat(stubs.drift.findAll(postRequestedFor(urlPathEqualTo("/api/v1/drift/reports")).withRequestBody(containing(prefix))))
                .hasSize(3);
        assertThat(f.count("SELECT count(*) FROM alerts WHERE project_id = ? AND kind = 'agent' AND severity = 'critical'",
                f.project.id())).isEqualTo(1);
    }

    @Test
    void theWebhookIsRetriedWithBackoffUntilDelivered() {
        String model = Fixtures.model("webhook");
        stubs.webhook.failFirst(model, 2);
        long started = System.nanoTime();
        JsonPath d = signal("data_quality", model, "{\"invalid_rate\": 0.1}");
        // diagnosis did not wait for the webhook's retries (50 ms, then 100 ms)
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
        Fixtures.await("the webhook to succeed on the third attempt", () -> !stubs.webhook.deliveredMentioning(model).isEmpty());
        assertThat(stubs.webhook.attemptsMentioning(model)).hasSize(3);
        // no production version to validate against: skipped, not failed (the breaker ignores it)
        assertThat(d.getString("actions.find { it.action == 'validate_data' }.status")).isEqualTo("skipped");
        assertThat(d.getString("actions.find { it.action == 'validate_data' }.result.reason")).isEqualTo("not_applicable");
        assertThat(stubs.webhook.deliveredMentioning(model).get(0)).startsWith("{\"text\":\"[WARNING] Data quality in " + model);
    }

    @Test
    void signalsLinkingToOneNewAlertAtOnceAnnounceItOnce() throws Exception {
        String model = Fixtures.model("linkedtogether");
        long alert = f.count("""
                INSERT INTO alerts (project_id, model_name, kind, severity, title, message, evidence, source)
                VALUES (?, ?, 'data_quality', 'warning', ?, 'bad rows', '{}', 'drift-service') RETURNING id""",
                f.project.id(), model, "Data quality in " + model);
        String body = "{\"kind\": \"data_quality\", \"model_name\": \"" + model + "\", \"source\": \"drift-service\", "
                + "\"alert_id\": " + alert + ", \"evidence\": {\"invalid_rate\": 0.1}}";
        // drift-service's signal and its copy sent again after a lost answer, say, arriving together
        ExecutorService senders = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonPath>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(senders.submit(() -> {
                go.await();
                return f.signal(body).extract().jsonPath();
            }));
        }
        go.countDown();
        for (Future<JsonPath> answer : answers) {
            assertThat(answer.get(60, TimeUnit.SECONDS).getLong("actions.find { it.action == 'send_alert' }.alert_id"))
                    .isEqualTo(alert);
        }
        senders.shutdown();
        Fixtures.await("the webhook to announce the alert", () -> !stubs.webhook.deliveredMentioning(model).isEmpty());
        Thread.sleep(300);   // the webhook is asynchronous: give a second announcement time to arrive
        assertThat(stubs.webhook.attemptsMentioning(model)).as("announcements of one new alert").hasSize(1);
        assertThat(f.count("SELECT count(*) FROM agent_actions WHERE project_id = ? AND alert_id = ? AND action = 'send_alert'",
                f.project.id(), alert)).isEqualTo(6);
    }

    @Test
    void signalsMakingOneAlertWorseAtOnceAnnounceItOnce() throws Exception {
        String model = Fixtures.model("worsetogether");
        long alert = signal("data_quality", model, "{\"invalid_rate\": 0.1}")
                .getLong("actions.find { it.action == 'send_alert' }.alert_id");
        Fixtures.await("the webhook to announce the new alert", () -> !stubs.webhook.deliveredMentioning(model).isEmpty());
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<JsonPath>> answers = new ArrayList<>();
        try (Connection held = dataSource.getConnection()) {
            // the alert's row is held locked, so four critical signals bump it at once once it is let go
            held.setAutoCommit(false);
            try (PreparedStatement lock = held.prepareStatement("SELECT id FROM alerts WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, alert);
                lock.executeQuery().close();
            }
            for (int i = 0; i < 4; i++) {
                answers.add(senders.submit(() -> signal("data_quality", model, "{\"invalid_rate\": 0.5}")));
            }
            awaitWaitingForLocks(4);
            held.rollback();
        }
        for (Future<JsonPath> answer : answers) {
            assertThat(answer.get(60, TimeUnit.SECONDS).getLong("actions.find { it.action == 'send_alert' }.alert_id"))
                    .isEqualTo(alert);
        }
        senders.shutdown();
        Fixtures.await("the webhook to announce the alert got worse",
                () -> stubs.webhook.deliveredMentioning(model).stream().anyMatch(b -> b.contains("now worse")));
        Thread.sleep(300);   // the webhook is asynchronous: give a second announcement time to arrive
        assertThat(stubs.webhook.attemptsMentioning(model).stream().filter(b -> b.contains("now worse")))
                .as("announcements that the alert got worse").hasSize(1);
        assertThat(f.count("SELECT occurrences FROM alerts WHERE id = ?", alert)).isEqualTo(5);
    }

    /** An alert of kind data_quality as drift-service inserts it: occurrence 1, no agent action yet. */
    private long driftRaisedDataQualityAlert(String model) throws SQLException {
        return f.count("""
                INSERT INTO alerts (project_id, model_name, kind, severity, title, message, evidence, source)
                VALUES (?, ?, 'data_quality', 'warning', ?, 'bad rows', '{}', 'drift-service') RETURNING id""",
                f.project.id(), model, "Data quality in " + model);
    }

    private String linkedSignal(String model, long alert) {
        return "{\"kind\": \"data_quality\", \"model_name\": \"" + model + "\", \"source\": \"drift-service\", "
                + "\"alert_id\": " + alert + ", \"evidence\": {\"invalid_rate\": 0.1}}";
    }

    /** Waits for the first message mentioning the model, then a while for a wrong second one; answers them all. */
    private List<String> announcementsOf(String model) throws InterruptedException {
        Fixtures.await("the webhook to announce the alert", () -> !stubs.webhook.attemptsMentioning(model).isEmpty());
        Thread.sleep(300);   // the webhook is asynchronous: give a second announcement time to arrive
        return stubs.webhook.attemptsMentioning(model);
    }

    @Test
    void anAlertDriftServiceRaisedIsAnnouncedOnceWhenAnotherSignalBumpsItBeforeDriftsOwnArrives() throws Exception {
        String model = Fixtures.model("bumpedfirst");
        long alert = driftRaisedDataQualityAlert(model);
        // a monitor's signal about the same model and kind, naming no alert, arrives before drift-service's
        JsonPath plain = signal("data_quality", model, "{\"invalid_rate\": 0.1}");
        assertThat(plain.getLong("actions.find { it.action == 'send_alert' }.alert_id")).isEqualTo(alert);
        JsonPath linked = f.signal(linkedSignal(model, alert)).extract().jsonPath();
        assertThat(linked.getLong("actions.find { it.action == 'send_alert' }.alert_id")).isEqualTo(alert);

        List<String> announcements = announcementsOf(model);
        assertThat(announcements).as("announcements of the alert").hasSize(1);
        assertThat(announcements.get(0)).startsWith("{\"text\":\"[WARNING] Data quality in " + model)
                .contains("alert " + alert + ")").doesNotContain("now worse");
        assertThat(f.count("SELECT occurrences FROM alerts WHERE id = ?", alert)).isEqualTo(2);
    }

    @Test
    void anAlertDriftServiceRaisedAndLinkedBeforeAnotherSignalBumpsItIsAnnouncedOnce() throws Exception {
        String model = Fixtures.model("linkedfirst");
        long alert = driftRaisedDataQualityAlert(model);
        f.signal(linkedSignal(model, alert));
        signal("data_quality", model, "{\"invalid_rate\": 0.1}");

        assertThat(announcementsOf(model)).as("announcements of the alert").hasSize(1);
        assertThat(f.count("SELECT occurrences FROM alerts WHERE id = ?", alert)).isEqualTo(2);
    }

    @Test
    void aBumpAndDriftsLinkedSignalArrivingTogetherAnnounceTheAlertOnce() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String model = Fixtures.model("bumpandlink");
                long alert = driftRaisedDataQualityAlert(model);
                List<Future<?>> answers = new ArrayList<>();
                try (Connection held = dataSource.getConnection()) {
                    // the lock raises of this model and kind take, held: both signals wait for it, then go in turn
                    held.setAutoCommit(false);
                    try (PreparedStatement lock = held.prepareStatement(
                            "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                        lock.setString(1, "keel.alerts/" + f.project.id() + "/" + model + "/data_quality");
                        lock.executeQuery().close();
                    }
                    answers.add(senders.submit(() -> signal("data_quality", model, "{\"invalid_rate\": 0.1}")));
                    answers.add(senders.submit(() -> f.signal(linkedSignal(model, alert))));
                    awaitWaitingForLocks(2);
                    held.rollback();
                }
                for (Future<?> answer : answers) {
                    answer.get(60, TimeUnit.SECONDS);
                }
                assertThat(announcementsOf(model)).as("announcements of the alert, round " + round).hasSize(1);
            }
        } finally {
            senders.shutdown();
        }
    }

    /** Waits until {@code count} sessions of this database wait for a lock. */
    private void awaitWaitingForLocks(int count) throws Exception {
        Fixtures.await(count + " requests to wait for a lock", () -> {
            try {
                return f.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND wait_event_type = 'Lock'") >= count;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void anAlertDriftServiceRaisedIsLinkedNotBumpedAndAnnouncedOnce() throws Exception {
        String model = Fixtures.model("linked");
        long report = f.driftReport(model, 1, true, 0.6, 0.3, "warning");
        long alert = f.count("""
                INSERT INTO alerts (project_id, model_name, kind, severity, title, message, evidence, source)
                VALUES (?, ?, 'data_drift', 'warning', ?, 'features drifted', '{}', 'drift-service') RETURNING id""",
                f.project.id(), model, "Data drift in " + model + " v1");
        JsonPath d = f.signal("{\"kind\": \"data_drift\", \"model_name\": \"" + model + "\", \"source\": \"drift-service\", "
                + "\"alert_id\": " + alert + ", \"evidence\": {\"report_id\": " + report + "}}").extract().jsonPath();
        assertThat(d.getLong("actions.find { it.action == 'send_alert' }.alert_id")).isEqualTo(alert);
        assertThat(d.getBoolean("actions.find { it.action == 'send_alert' }.result.linked")).isTrue();
        assertThat(d.getLong("actions.find { it.action == 'generate_report' }.alert_id")).isEqualTo(alert);
        assertThat(f.count("SELECT occurrences FROM alerts WHERE id = ?", alert)).isEqualTo(1);
        Fixtures.await("the webhook to announce the drift alert", () -> !stubs.webhook.deliveredMentioning(model).isEmpty());

        // drift-service bumps the same alert, now critical: announced again, as worse; once more at critical: not
        f.execute("UPDATE alerts SET severity = 'critical', occurrences = 2 WHERE id = ?", alert);
        long worse = f.driftReport(model, 1, true, 0.9, 0.7, "critical");
        f.signal("{\"kind\": \"data_drift\", \"model_name\": \"" + model + "\", \"source\": \"drift-service\", "
                + "\"alert_id\": " + alert + ", \"evidence\": {\"report_id\": " + worse + "}}");
        Fixtures.await("the webhook to announce that the alert got worse",
                () -> stubs.webhook.deliveredMentioning(model).stream().anyMatch(b -> b.contains("now worse")));
        f.execute("UPDATE alerts SET occurrences = 3 WHERE id = ?", alert);
        long same = f.driftReport(model, 1, true, 0.9, 0.7, "critical");
        f.signal("{\"kind\": \"data_drift\", \"model_name\": \"" + model + "\", \"source\": \"drift-service\", "
                + "\"alert_id\": " + alert + ", \"evidence\": {\"report_id\": " + same + "}}");
        Thread.sleep(300);   // the webhook is asynchronous: give a wrong third delivery time to arrive
        List<String> announcements = stubs.webhook.deliveredMentioning(model).stream()
                .filter(b -> !b.contains("Approval needed")).toList();   // a critical drift also proposes retraining
        assertThat(announcements).hasSize(2);
        assertThat(announcements.get(1)).contains("[CRITICAL]").contains("now worse");

        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"data_drift\", \"model_name\": \"" + model + "\", \"alert_id\": 999999999, "
                        + "\"evidence\": {\"report_id\": " + report + "}}")
                .when().post("/api/v1/agent/signals").then().statusCode(422).body("field", equalTo("alert_id"));
    }
}
