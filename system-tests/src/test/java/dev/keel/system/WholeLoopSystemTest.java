package dev.keel.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.testing.RestartablePostgres;
import dev.keel.common.testing.TestDatabase;
import dev.keel.system.KeelSuite.Service;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole loop, end to end: the five services as real processes on one fresh PostgreSQL
 * database, talking real HTTP to each other, training with real xgboost4j. Two stories, each step
 * asserted over REST and in the database:
 * <ol>
 *   <li>a baseline model is trained, gated and promoted; inference serves it and logs its
 *       predictions; drifted traffic arrives; drift-service's report finds drift; the agent raises an
 *       alert (the webhook hears of it) and proposes a retraining; a person approves; the retrained
 *       model beats the champion, is promoted, and inference swaps to it while a client keeps
 *       predicting without one failed request;</li>
 *   <li>the new model's realised quality collapses (feedback labels); drift-service computes it; the
 *       agent proposes a rollback; a person approves; production and inference are back on the
 *       first version.</li>
 * </ol>
 * The services' consoles are in {@code target/system-logs/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeLoopSystemTest {

    private static final Logger LOG = Logger.getLogger(WholeLoopSystemTest.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "heart-disease";
    /**
     * Covariate shift on eight of the thirteen features. Age, maximum heart rate and ST depression
     * move far past the clean data's range, where the baseline's trees can only extrapolate flat,
     * while their effects roughly cancel in the generator's risk model: the share of positives stays
     * near the training data's, so the champion/challenger comparison is about fit to the new
     * population, not about a trivial all-positive world.
     */
    private static final String DRIFT = "age:20,thalach:60,oldpeak:1,chol:80,trestbps:-20,sex:-0.3,fbs:0.3,restecg:0.5";

    /** inference-service's shutdown delay here: longer than the 5 s default, so a loaded machine checks it in time. */
    private static final Duration DRAIN = Duration.ofSeconds(10);
    private static final Instant STARTED = Instant.now();
    private static RestartablePostgres server;
    private static TestDatabase database;
    private static WebhookReceiver webhook;
    private static KeelSuite suite;
    private static String project;
    private static String writeKey;
    private static String approverKey;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicBoolean RETRAIN_STORY_PASSED = new AtomicBoolean();

    @BeforeAll
    static void startTheSuite() throws Exception {
        // a server of the suite's own where PostgreSQL's programs are installed, so a story can crash it
        if (RestartablePostgres.binaries().isPresent()) {
            server = RestartablePostgres.start();
            database = TestDatabase.on(server.jdbcUrl(), "postgres", "", "keel_system_");
        } else {
            database = TestDatabase.create("keel_system_");
        }
        webhook = new WebhookReceiver();
        project = "system-" + UUID.randomUUID().toString().substring(0, 8);
        String adminKey = randomKey();

        Map<Service, Map<String, String>> env = new EnumMap<>(Service.class);
        env.put(Service.INFERENCE, Map.of(
                "QUARKUS_SHUTDOWN_DELAY", DRAIN.toSeconds() + "s",
                "KEEL_INFERENCE_POLL_INTERVAL", "1s",
                "KEEL_PREDICTIONS_SPILL_DIR", "spill"));
        env.put(Service.TRAINING, Map.of(
                "KEEL_TRAINING_INSTANCE_ID", "system-test",
                "KEEL_TRAINING_SEARCH_BUDGET", "4",
                "KEEL_TRAINING_SEARCH_FOLDS", "3",
                "KEEL_TRAINING_SEARCH_ROUNDS_SCALE", "0.2",
                "KEEL_TRAINING_XGBOOST_THREADS", "1",
                "KEEL_TRAINING_GATE_MIN_F1", "0.6",
                "KEEL_TRAINING_SCHEDULE_ENABLED", "false"));
        // the test asks for reports and performance itself; the hourly jobs would only add noise
        env.put(Service.DRIFT, Map.of("KEEL_DRIFT_SCHEDULE_ENABLED", "false"));
        env.put(Service.AGENT, Map.of(
                "KEEL_AGENT_SCHEDULE_ENABLED", "false",
                "KEEL_ALERT_WEBHOOK_URL", webhook.url()));
        Map<Service, List<String>> jvm = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            jvm.put(s, new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC")));
        }
        // retraining learns from production's labelled traffic by default (auto: 2300 labels, 200 needed)
        jvm.get(Service.TRAINING).set(0, "-Xmx768m");

        Path logs = Path.of(System.getProperty("keel.system.logs", "target/system-logs"));
        suite = KeelSuite.withFreePorts(new KeelSuite.Settings(
                Path.of(System.getProperty("keel.system.root", "..")).toAbsolutePath().normalize(), logs,
                Path.of(System.getProperty("keel.system.work", "target/system-run")).toAbsolutePath(),
                database.jdbcUrl(), database.username(), database.password(), adminKey, env, jvm));
        step("Database " + database.name() + "; starting the five services, logs in " + logs);
        suite.start();
        suite.awaitReady(Duration.ofMinutes(4));
        step("All five ready");

        // the bootstrap admin makes the project (gate: F1 ≥ 0.6 for the synthetic data) and its people's keys
        given().spec(registry(adminKey)).body(Map.of("name", project, "description", "the system test's project",
                        "gate_thresholds", Map.of("f1", 0.6)))
                .post("/api/v1/projects").then().statusCode(201);
        writeKey = createKey(adminKey, "pipeline", "write");
        approverKey = createKey(adminKey, "on-call", "approver");
        assertThat(queryLong("SELECT count(*) FROM api_keys k JOIN projects p ON p.id = k.project_id WHERE p.name = ?",
                project)).isEqualTo(2);
        step("Project " + project + " with a write and an approver key");
    }

    @AfterAll
    static void stopTheSuite() throws Exception {
        try {
            if (suite != null) {
                suite.close();
            }
        } finally {
            if (webhook != null) {
                webhook.close();
            }
            try {
                if (database != null) {
                    database.close();
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
        step("Stopped; whole run " + Duration.between(STARTED, Instant.now()).toSeconds() + " s");
    }

    @Test
    @Order(1)
    void driftIsDiagnosedRetrainedAfterApprovalAndHotSwappedWithoutAFailedRequest() throws Exception {
        // 1. a synthetic heart-disease dataset, stored by training-service
        long dataset = given().spec(training(writeKey))
                .body(Map.of("name", "heart-pilot", "rows", 600, "seed", 7))
                .post("/api/v1/datasets/synthetic").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(queryLong("SELECT row_count FROM datasets WHERE id = ?", dataset)).isEqualTo(600);
        step("Dataset " + dataset + ": 600 synthetic rows");

        // 2. a quick baseline from the pilot data: gradient-boosted trees, two grid points
        long firstRun = given().spec(training(writeKey))
                .body(Map.of("model_name", MODEL, "dataset_id", dataset, "families", List.of("gradient_boosting"),
                        "search", Map.of("strategy", "grid", "budget", 2)))
                .post("/api/v1/training-runs").then().statusCode(202).extract().jsonPath().getLong("id");
        JsonPath run1 = awaitRun(firstRun, Duration.ofMinutes(3));
        assertThat(run1.getString("status")).as("run %d: %s", firstRun, run1.prettify()).isEqualTo("succeeded");
        assertThat(run1.getInt("registered_version")).isEqualTo(1);
        assertThat(run1.getBoolean("gate_result.promoted")).isTrue();
        step("Run " + firstRun + " succeeded: version 1, test F1 " + run1.getDouble("test_metrics.f1"));

        // 3. the registry holds it in production, with its lineage
        JsonPath production = given().spec(registry(writeKey)).get("/api/v1/models/" + MODEL + "/production")
                .then().statusCode(200).extract().jsonPath();
        assertThat(production.getInt("version")).isEqualTo(1);
        assertThat(stageOf(1)).isEqualTo("production");
        assertThat(queryLong("SELECT training_run_id FROM model_versions v JOIN registered_models m ON m.id = v.model_id "
                + "WHERE m.name = ? AND v.version = 1", MODEL)).isEqualTo(firstRun);

        // 4. inference picks it up
        awaitServedVersion(1, Duration.ofSeconds(60));
        step("Inference serves version 1");

        // 5. clean traffic: every prediction answered and logged
        Traffic clean = generate(300, 11, null);
        Instant cleanFrom = Instant.now();
        List<Prediction> cleanPredictions = predictAll(clean.instances());
        Instant cleanTo = Instant.now();
        assertThat(cleanPredictions).allSatisfy(p -> assertThat(p.version()).isEqualTo(1));
        awaitLogged(cleanPredictions);
        step("300 clean predictions, all 200 and all in the predictions table");

        // a report over the clean window finds no drift
        JsonPath quiet = given().spec(drift(writeKey))
                .body(Map.of("model_name", MODEL, "window", Map.of("start", cleanFrom.toString(), "end", cleanTo.toString())))
                .post("/api/v1/drift/reports").then().statusCode(201).extract().jsonPath();
        assertThat(quiet.getBoolean("dataset_drift")).as("clean report %s", quiet.prettify()).isFalse();
        assertThat(quiet.getLong("current_rows")).isEqualTo(300);

        // 6. drifted traffic; its labels arrive as feedback
        Traffic drifted = generate(2000, 12, DRIFT);
        List<Prediction> driftedPredictions = predictInBatches(drifted.instances());
        assertThat(driftedPredictions).allSatisfy(p -> assertThat(p.version()).isEqualTo(1));
        awaitLogged(driftedPredictions);
        sendFeedback(cleanPredictions, clean.labels());
        sendFeedback(driftedPredictions, drifted.labels());
        assertThat(queryLong("SELECT count(*) FROM feedback f JOIN projects p ON p.id = f.project_id WHERE p.name = ?",
                project)).isEqualTo(2300);
        step("2000 drifted predictions (batches of 250) logged; 2300 feedback labels stored");

        // 7. drift-service's report over the drifted traffic finds drift
        JsonPath report = given().spec(drift(writeKey))
                .body(Map.of("model_name", MODEL, "window", Map.of("last_n", 2000)))
                .post("/api/v1/drift/reports").then().statusCode(201).extract().jsonPath();
        long reportId = report.getLong("id");
        assertThat(report.getBoolean("dataset_drift")).as("drift report %s", report.prettify()).isTrue();
        assertThat(report.getString("severity")).isEqualTo("critical");
        assertThat(report.getInt("model_version")).isEqualTo(1);
        assertThat(queryString("SELECT severity FROM drift_reports WHERE id = ?", reportId)).isEqualTo("critical");
        step("Drift report " + reportId + ": drift share " + report.getDouble("drift_share") + ", critical");

        // 8. the agent diagnoses it: an alert, a report of its own, and a retraining proposal
        JsonPath diagnosis = given().spec(agent(writeKey))
                .body(Map.of("kind", "data_drift", "model_name", MODEL, "source", "system-test",
                        "evidence", Map.of("report_id", reportId)))
                .post("/api/v1/agent/signals").then().statusCode(200).extract().jsonPath();
        assertThat(diagnosis.getBoolean("issue_detected")).as("diagnosis %s", diagnosis.prettify()).isTrue();
        assertThat(diagnosis.getString("severity")).isEqualTo("critical");
        Map<String, String> statusByAction = actionStatuses(diagnosis);
        assertThat(statusByAction).as("actions %s", diagnosis.prettify()).containsEntry("send_alert", "succeeded")
                .containsEntry("generate_report", "succeeded").containsEntry("retrain_model", "pending_approval");
        long retrainAction = actionId(diagnosis, "retrain_model");
        JsonPath alerts = given().spec(agent(writeKey)).queryParam("model_name", MODEL).queryParam("kind", "data_drift")
                .get("/api/v1/agent/alerts").then().statusCode(200).extract().jsonPath();
        assertThat(alerts.getList("items")).hasSize(1);
        assertThat(alerts.getString("items[0].status")).isEqualTo("active");
        assertThat(alerts.getString("items[0].severity")).isEqualTo("critical");
        assertThat(queryString("SELECT status FROM agent_actions WHERE id = ?", retrainAction)).isEqualTo("pending_approval");
        // the report the agent asked drift-service for is stored too
        assertThat(queryLong("SELECT count(*) FROM drift_reports WHERE model_name = ? AND trigger IN ('manual', 'agent')",
                MODEL)).isGreaterThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(webhook.bodies())
                .anySatisfy(b -> assertThat(b).contains("Data drift").contains(MODEL))
                .anySatisfy(b -> assertThat(b).contains("Approval needed").contains("retrain_model")));
        step("Agent: critical data_drift, alert raised, webhook told, retrain_model " + retrainAction + " waits for approval");

        // 9. a person approves; the agent asks training-service to retrain
        JsonPath approved = given().spec(agent(approverKey))
                .body(Map.of("comment", "drift confirmed by the system test"))
                .post("/api/v1/agent/actions/" + retrainAction + "/approve").then().statusCode(200).extract().jsonPath();
        assertThat(approved.getString("status")).as("approval %s", approved.prettify()).isEqualTo("succeeded");
        long retrainRun = approved.getLong("result.training_run_id");
        assertThat(queryString("SELECT decided_by FROM agent_actions WHERE id = ?", retrainAction)).isEqualTo("on-call");
        step("Approved; training run " + retrainRun + " started by the agent");

        // 10. while it trains and promotes, a client keeps predicting
        try (BackgroundClient client = new BackgroundClient(clean.instances())) {
            JsonPath run2 = awaitRun(retrainRun, Duration.ofMinutes(5));
            assertThat(run2.getString("trigger")).isEqualTo("agent");
            assertThat(run2.getString("status")).as("retraining run %d (champion/challenger): %s", retrainRun,
                    run2.prettify()).isEqualTo("succeeded");
            assertThat(run2.getInt("registered_version")).isEqualTo(2);
            assertThat(run2.getBoolean("gate_result.promoted")).isTrue();
            assertThat(run2.getInt("gate_result.champion_version")).isEqualTo(1);
            step("Run " + retrainRun + " succeeded: version 2, F1 " + run2.getDouble("gate_result.challenger_f1")
                    + " against the champion's " + run2.getDouble("gate_result.champion_f1"));
            assertThat(stageOf(2)).isEqualTo("production");
            assertThat(stageOf(1)).isEqualTo("archived");

            // 11. inference hot-swaps to version 2
            awaitServedVersion(2, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> client.answersFrom(2) >= 20);
            client.stop();
            assertThat(client.failures()).as("failed requests during the swap: %s", client.firstFailure()).isZero();
            assertThat(client.answersFrom(1)).isPositive();
            step("Hot swap 1 → 2 under load: " + client.total() + " requests, none failed");
        }
        RETRAIN_STORY_PASSED.set(true);
    }

    @Test
    @Order(2)
    void aCollapseInRealisedQualityIsRolledBackAfterApproval() throws Exception {
        Assumptions.assumeTrue(RETRAIN_STORY_PASSED.get(), "the retraining story did not finish");

        // 1. traffic on version 2, whose labels say it is now wrong every time
        Traffic traffic = generate(300, 14, DRIFT);
        List<Prediction> predictions = predictAll(traffic.instances());
        assertThat(predictions).allSatisfy(p -> assertThat(p.version()).isEqualTo(2));
        awaitLogged(predictions);
        List<Integer> wrong = predictions.stream().map(p -> p.prediction() >= 0.5 ? 0 : 1).toList();
        sendFeedback(predictions, wrong);
        step("300 predictions of version 2 with contradicting labels");

        // 2. drift-service computes the realised performance from the log and the labels
        JsonPath performance = given().spec(drift(writeKey)).body(Map.of("model_name", MODEL, "model_version", 2))
                .post("/api/v1/performance/compute").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> realized = performance.<Map<String, Object>>getList("buckets").stream()
                .filter(b -> "realized".equals(b.get("kind")) && ((Number) b.get("labelled_count")).longValue() > 0)
                .toList();
        assertThat(realized).as("performance %s", performance.prettify()).isNotEmpty();
        long labelled = realized.stream().mapToLong(b -> ((Number) b.get("labelled_count")).longValue()).sum();
        assertThat(labelled).isEqualTo(300);
        double f1 = realized.stream().mapToDouble(b -> b.get("f1") == null ? 0 : ((Number) b.get("f1")).doubleValue()).max()
                .orElseThrow();
        double accuracy = realized.stream().mapToDouble(b -> ((Number) b.get("accuracy")).doubleValue()).max().orElseThrow();
        assertThat(accuracy).isLessThan(0.05);
        assertThat(queryLong("SELECT count(*) FROM performance_metrics WHERE model_name = ? AND model_version = 2 "
                + "AND kind = 'realized' AND labelled_count > 0", MODEL)).isPositive();
        step("Realised F1 " + f1 + ", accuracy " + accuracy + " over " + labelled + " labels");

        // 3. the agent judges the numbers against version 2's test metrics and proposes a rollback
        JsonPath diagnosis = given().spec(agent(writeKey))
                .body(Map.of("kind", "performance_degradation", "model_name", MODEL, "model_version", 2,
                        "source", "system-test",
                        "evidence", Map.of("f1", f1, "accuracy", accuracy, "labelled_count", labelled)))
                .post("/api/v1/agent/signals").then().statusCode(200).extract().jsonPath();
        assertThat(diagnosis.getString("severity")).as("diagnosis %s", diagnosis.prettify()).isEqualTo("critical");
        Map<String, String> statusByAction = actionStatuses(diagnosis);
        assertThat(statusByAction).as("actions %s", diagnosis.prettify()).containsEntry("send_alert", "succeeded")
                .containsEntry("collect_diagnostics", "succeeded").containsEntry("rollback_model", "pending_approval");
        long rollbackAction = actionId(diagnosis, "rollback_model");
        assertThat(given().spec(agent(writeKey)).queryParam("status", "pending_approval").queryParam("action", "rollback_model")
                .get("/api/v1/agent/actions").then().statusCode(200).extract().jsonPath().getList("items.id", Long.class))
                .containsExactly(rollbackAction);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(webhook.bodies())
                .anySatisfy(b -> assertThat(b).contains("Approval needed").contains("rollback_model")));
        step("Agent: critical performance_degradation, rollback_model " + rollbackAction + " waits for approval");

        // 4. approved: the registry rolls production back to version 1
        JsonPath approved = given().spec(agent(approverKey)).body(Map.of("comment", "v2 is wrong on every labelled row"))
                .post("/api/v1/agent/actions/" + rollbackAction + "/approve").then().statusCode(200).extract().jsonPath();
        assertThat(approved.getString("status")).as("approval %s", approved.prettify()).isEqualTo("succeeded");
        assertThat(approved.getInt("result.from_version")).isEqualTo(2);
        assertThat(approved.getInt("result.to_version")).isEqualTo(1);
        assertThat(given().spec(registry(writeKey)).get("/api/v1/models/" + MODEL + "/production").then().statusCode(200)
                .extract().jsonPath().getInt("version")).isEqualTo(1);
        assertThat(stageOf(1)).isEqualTo("production");
        assertThat(queryLong("SELECT count(*) FROM stage_transitions t JOIN registered_models m ON m.id = t.model_id "
                + "WHERE m.name = ? AND t.kind = 'rollback'", MODEL)).isPositive();

        // 5. inference serves version 1 again
        awaitServedVersion(1, Duration.ofSeconds(60));
        assertThat(predictAll(traffic.instances().subList(0, 20))).allSatisfy(p -> assertThat(p.version()).isEqualTo(1));
        step("Rolled back: production and inference on version 1");
    }

    @Test
    @Order(3)
    void aShiftInPredictedPositivesMovesTheDecisionThresholdAtOnceAndInferenceAppliesIt() throws Exception {
        Assumptions.assumeTrue(RETRAIN_STORY_PASSED.get(), "the retraining story did not finish");
        int version = given().spec(registry(writeKey)).get("/api/v1/models/" + MODEL + "/production")
                .then().statusCode(200).extract().jsonPath().getInt("version");

        // 1. a monitor reports more predicted positives than usual: a warning, and a low-risk fix runs without approval
        JsonPath diagnosis = given().spec(agent(writeKey))
                .body(Map.of("kind", "prediction_anomaly", "model_name", MODEL, "model_version", version,
                        "source", "system-test", "evidence", Map.of("positive_rate", 0.7,
                                "reference_positive_rate", 0.5, "proposed_threshold", 0.65)))
                .post("/api/v1/agent/signals").then().statusCode(200).extract().jsonPath();
        assertThat(diagnosis.getString("severity")).as("diagnosis %s", diagnosis.prettify()).isEqualTo("warning");
        assertThat(actionStatuses(diagnosis)).as("actions %s", diagnosis.prettify())
                .containsEntry("adjust_threshold", "succeeded");

        // 2. the registry holds the new threshold on the version, in the audit trail
        double recorded = given().spec(registry(writeKey)).get("/api/v1/models/" + MODEL + "/versions/" + version)
                .then().statusCode(200).extract().jsonPath().getDouble("decision_threshold");
        assertThat(recorded).isCloseTo(0.65, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(queryLong("SELECT count(*) FROM stage_transitions t JOIN registered_models m ON m.id = t.model_id "
                + "WHERE m.name = ? AND t.kind = 'threshold'", MODEL)).isPositive();

        // 3. inference applies it on its next poll: prediction = probability >= 0.65
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> Math.abs(
                given().spec(inference(writeKey)).get("/api/v1/models/" + MODEL).jsonPath().getDouble("decision_threshold")
                        - 0.65) < 1e-6);
        List<Map<String, Object>> rows = generate(40, 15, null).instances();
        int positives = 0;
        for (Map<String, Object> row : rows) {
            JsonPath answer = given().spec(inference(writeKey)).body(Map.of("model", MODEL, "features", row))
                    .post("/api/v1/predict").then().statusCode(200).extract().jsonPath();
            double probability = answer.getDouble("probability");
            assertThat(answer.getDouble("prediction")).as("probability %s", probability)
                    .isEqualTo(probability >= 0.65 ? 1.0 : 0.0);
            positives += probability >= 0.65 ? 1 : 0;
        }
        step("prediction_anomaly: the agent moved v" + version + "'s threshold to 0.65 at once; inference applies it ("
                + positives + " of 40 positive)");
    }

    // ------------------------------------------------------------------------------------------

    private record Traffic(List<Map<String, Object>> instances, List<Integer> labels) {
    }

    private record Prediction(UUID requestId, int version, double prediction) {
    }

    /** Rows from training-service's generator, with their labels; {@code drift} as the endpoint takes it. */
    private static Traffic generate(int rows, long seed, String drift) {
        RequestSpecification request = given().spec(training(writeKey)).accept(ContentType.JSON)
                .queryParam("rows", rows).queryParam("seed", seed);
        if (drift != null) {
            request.queryParam("drift", drift);
        }
        JsonPath body = request.get("/api/v1/synthetic/heart-disease").then().statusCode(200).extract().jsonPath();
        return new Traffic(body.getList("instances"), body.getList("labels", Integer.class));
    }

    /** One POST /api/v1/predict per row; every answer must be 200. */
    private static List<Prediction> predictAll(List<Map<String, Object>> instances) throws Exception {
        List<Prediction> out = new ArrayList<>(instances.size());
        for (Map<String, Object> features : instances) {
            HttpResponse<String> response = predict(features);
            assertThat(response.statusCode()).as("predict: %s", response.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            out.add(new Prediction(UUID.fromString(body.get("request_id").asText()), body.get("version").asInt(),
                    body.get("prediction").asDouble()));
        }
        return out;
    }

    /** POST /api/v1/predict/batch, 250 rows a request; every answer must be 200, every row is logged with its own id. */
    private static List<Prediction> predictInBatches(List<Map<String, Object>> instances) {
        List<Prediction> out = new ArrayList<>(instances.size());
        for (int from = 0; from < instances.size(); from += 250) {
            JsonPath body = given().spec(inference(writeKey))
                    .body(Map.of("model", MODEL, "instances", instances.subList(from, Math.min(instances.size(), from + 250))))
                    .post("/api/v1/predict/batch").then().statusCode(200).extract().jsonPath();
            int version = body.getInt("version");
            for (Map<String, Object> p : body.<Map<String, Object>>getList("predictions")) {
                out.add(new Prediction(UUID.fromString((String) p.get("request_id")), version,
                        ((Number) p.get("prediction")).doubleValue()));
            }
        }
        return out;
    }

    private static HttpResponse<String> predict(Map<String, Object> features) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", MODEL, "features", features));
        HttpRequest request = HttpRequest.newBuilder(URI.create(suite.url(Service.INFERENCE) + "/api/v1/predict"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + writeKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The database crashes ({@code pg_ctl stop -m immediate}) while clients keep predicting and a
     * training run is searching, and comes back three seconds later. Nothing acknowledged is lost
     * and nothing fails: every prediction is answered and ends up in the table (through the spill
     * file), the services that need the database answer 503 with Retry-After meanwhile, and the run
     * ends as it would have, with exactly one registered version.
     */
    @Test
    @Order(4)
    void aDatabaseCrashMidLoopLosesNoPredictionAndFailsNoTrainingRun() throws Exception {
        Assumptions.assumeTrue(server != null, "PostgreSQL's server programs are not installed (Debian: postgresql)");
        Assumptions.assumeTrue(given().spec(inference(writeKey)).get("/api/v1/models/" + MODEL).statusCode() == 200,
                "inference serves no model: the first story did not get that far");
        long dataset = given().spec(training(writeKey))
                .body(Map.of("name", "heart-crash", "rows", 2000, "seed", 31))
                .post("/api/v1/datasets/synthetic").then().statusCode(201).extract().jsonPath().getLong("id");

        BackgroundClient client = new BackgroundClient(generate(200, 32, null).instances());
        long run;
        try {
            run = given().spec(training(writeKey))
                    .body(Map.of("model_name", MODEL, "dataset_id", dataset, "families", List.of("gradient_boosting", "random_forest"),
                            "search", Map.of("strategy", "random", "budget", 24)))
                    .post("/api/v1/training-runs").then().statusCode(202).extract().jsonPath().getLong("id");
            JsonPath[] before = new JsonPath[1];
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                before[0] = given().spec(training(writeKey)).get("/api/v1/training-runs/" + run).then().statusCode(200)
                        .extract().jsonPath();
                return before[0].getInt("progress.candidates_done") >= 1 || !"running".equals(before[0].getString("status"))
                        && !"queued".equals(before[0].getString("status"));
            });
            assertThat(before[0].getString("status")).as("run %d still searching when the database crashes", run)
                    .isEqualTo("running");
            int answeredBefore = client.total();

            server.crash();
            step("Database crashed; run " + run + " had " + before[0].getInt("progress.candidates_done") + " of 24 candidates, "
                    + answeredBefore + " predictions answered");
            try {
                given().spec(registry(writeKey)).get("/api/v1/models/" + MODEL).then().statusCode(503)
                        .header("Retry-After", "5").contentType("application/problem+json");
                Thread.sleep(3_000);
            } finally {
                server.startAgain();
            }
            step("Database back; " + (client.total() - answeredBefore) + " predictions answered while it was down");

            JsonPath finished = awaitRun(run, Duration.ofMinutes(4));
            assertThat(finished.getString("status")).as("run %d: %s", run, finished.prettify()).isIn("succeeded", "rejected");
            assertThat(finished.getList("candidates")).hasSize(24);
            assertThat(queryLong("SELECT count(*) FROM model_versions WHERE training_run_id = ?", run))
                    .as("versions registered by run %d", run).isEqualTo(1);
            assertThat(queryLong("SELECT version FROM model_versions WHERE training_run_id = ?", run))
                    .isEqualTo(finished.getInt("registered_version"));
            step("Run " + run + " " + finished.getString("status") + ": v" + finished.getInt("registered_version"));
        } finally {
            client.stop();
        }
        assertThat(client.failures()).as("failed predictions; the first: %s", client.firstFailure()).isZero();
        List<Prediction> answered = client.answered();
        assertThat(answered).hasSize(client.total());
        awaitLogged(answered, Duration.ofSeconds(90));
        step(answered.size() + " predictions across the crash, all answered and all in the predictions table");
    }

    /**
     * After the stories, when every service has served real traffic, each one's live /q/metrics is
     * valid Prometheus text for promtool and holds the request histogram, and promtool's lint finds
     * nothing at all on Keel's own series and the request histogram (names, labels, help texts).
     * Findings on the series Quarkus, Vert.x, Netty and SmallRye register (camelCase labels, "_count"
     * gauges, no help text) are only logged.
     */
    @Test
    @Order(5)
    void everyServicesLiveMetricsPassPromtool() throws Exception {
        java.util.Optional<Promtool> promtool = Promtool.onPath();
        Assumptions.assumeTrue(promtool.isPresent(), "promtool not on PATH (Debian/Ubuntu: apt-get install prometheus)");

        Map<String, Promtool.MetricsCheck> checks = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(suite.url(s) + "/q/metrics"))
                    .header("Accept", "text/plain; version=0.0.4").timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s /q/metrics", s.module).isEqualTo(200);
            assertThat(response.body()).as("%s /q/metrics", s.module).contains("http_server_requests_seconds_bucket{");
            Promtool.MetricsCheck check = promtool.get().checkMetrics(response.body());
            checks.put(s.module, check);
            step(s.module + ": promtool check metrics exited " + check.exitStatus() + "; findings: " + check.findings());
        }

        checks.forEach((module, check) -> {
            assertThat(check.parsed()).as("%s: promtool check metrics exited %d: %s", module, check.exitStatus(), check.findings())
                    .isTrue();
            assertThat(check.findings()).as("%s: lint findings on Keel's series", module)
                    .filteredOn(f -> f.startsWith("keel_") || f.startsWith("http_server_requests_seconds"))
                    .isEmpty();
        });
    }

    /**
     * Stops inference-service with SIGTERM while batch requests keep arriving. First the drain:
     * readiness answers 503 at once while predictions are still answered, for the shutdown delay, so
     * a Service or ingress stops sending before the server stops accepting. Then every prediction it
     * answered must be in the table once it has exited, none left behind in the spill file. (The
     * writer used to be closed among the other beans, after the connection pool at times, and then
     * spilled what it still held instead of writing it.)
     */
    @Test
    @Order(6)
    void aGracefulStopUnderLoadWritesEveryAnsweredPredictionToTheTable() throws Exception {
        Traffic traffic = generate(500, 21, null);
        byte[] body = JSON.writeValueAsBytes(Map.of("model", MODEL, "instances", traffic.instances()));
        HttpRequest request = HttpRequest.newBuilder(URI.create(suite.url(Service.INFERENCE) + "/api/v1/predict/batch"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + writeKey)
                .header("X-Keel-Project", project).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Set<UUID> answered = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread sender = new Thread(() -> {
                while (sending.get()) {
                    try {
                        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            for (JsonNode row : JSON.readTree(response.body()).path("predictions")) {
                                answered.add(UUID.fromString(row.path("request_id").asText()));
                            }
                        }
                    } catch (java.io.IOException e) {
                        return;   // the service has gone: nothing more is answered
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "batch-sender-" + t);
            sender.start();
            senders.add(sender);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= 20_000);
        Instant signalled = Instant.now();
        suite.signalStop(Service.INFERENCE);
        String ready = suite.url(Service.INFERENCE) + "/q/health/ready";
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> KeelSuite.status(ready) == 503);
        HttpResponse<byte[]> duringDrain = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(duringDrain.statusCode()).as("a prediction while readiness is down, before the delay ends")
                .isEqualTo(200);
        assertThat(Duration.between(signalled, Instant.now())).as("checked within the drain").isLessThan(DRAIN);
        for (JsonNode row : JSON.readTree(duringDrain.body()).path("predictions")) {
            answered.add(UUID.fromString(row.path("request_id").asText()));
        }
        suite.awaitExit(Service.INFERENCE, Duration.ofSeconds(40));
        step("inference-service drained and stopped " + Duration.between(signalled, Instant.now()).toMillis()
                + " ms after SIGTERM");
        sending.set(false);
        for (Thread sender : senders) {
            sender.join(30_000);
        }
        step("inference-service stopped after answering " + answered.size() + " rows under load");

        long logged;
        try (Connection c = database.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM predictions WHERE request_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", answered.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                logged = rs.getLong(1);
            }
        }
        assertThat(logged).as("answered predictions in the table after the stop").isEqualTo(answered.size());
        Path spill = suite.workDir(Service.INFERENCE).resolve("spill");
        try (var files = java.nio.file.Files.list(spill)) {
            long waiting = files.mapToLong(f -> {
                try (var lines = java.nio.file.Files.lines(f)) {
                    return lines.filter(l -> !l.isBlank()).count();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
            assertThat(waiting).as("records left in the spill file").isZero();
        }
    }

    private static void awaitLogged(List<Prediction> predictions) {
        awaitLogged(predictions, Duration.ofSeconds(30));
    }

    private static void awaitLogged(List<Prediction> predictions, Duration timeout) {
        Object[] ids = predictions.stream().map(Prediction::requestId).toArray();
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            try (Connection c = database.connect();
                 PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM predictions WHERE request_id = ANY(?)")) {
                Array array = c.createArrayOf("uuid", ids);
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == ids.length;
                }
            }
        });
    }

    private static void sendFeedback(List<Prediction> predictions, List<Integer> labels) {
        for (int from = 0; from < predictions.size(); from += 500) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = from; i < Math.min(predictions.size(), from + 500); i++) {
                items.add(Map.of("request_id", predictions.get(i).requestId().toString(), "label", labels.get(i)));
            }
            given().spec(inference(writeKey)).body(Map.of("items", items)).post("/api/v1/feedback")
                    .then().statusCode(200).extract().jsonPath().getInt("stored");
        }
    }

    private static JsonPath awaitRun(long id, Duration timeout) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
            var response = given().spec(training(writeKey)).get("/api/v1/training-runs/" + id);
            if (response.statusCode() == 503) {
                return false;   // the database is away (the crash story): ask again
            }
            last[0] = response.then().statusCode(200).extract().jsonPath();
            String status = last[0].getString("status");
            return !"queued".equals(status) && !"running".equals(status);
        });
        return last[0];
    }

    private static void awaitServedVersion(int version, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            var response = given().spec(inference(writeKey)).get("/api/v1/models/" + MODEL);
            return response.statusCode() == 200 && response.jsonPath().getInt("version") == version;
        });
    }

    private static Map<String, String> actionStatuses(JsonPath diagnosis) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> a : diagnosis.<Map<String, Object>>getList("actions")) {
            out.put((String) a.get("action"), (String) a.get("status"));
        }
        return out;
    }

    private static long actionId(JsonPath diagnosis, String action) {
        return diagnosis.<Map<String, Object>>getList("actions").stream().filter(a -> action.equals(a.get("action")))
                .map(a -> ((Number) a.get("id")).longValue()).findFirst().orElseThrow();
    }

    private static String stageOf(int version) throws SQLException {
        return queryString("SELECT v.stage FROM model_versions v JOIN registered_models m ON m.id = v.model_id "
                + "JOIN projects p ON p.id = m.project_id WHERE p.name = ? AND m.name = ? AND v.version = ?", project, MODEL,
                version);
    }

    private static String createKey(String adminKey, String name, String role) {
        return given().spec(registry(adminKey)).body(Map.of("name", name, "role", role))
                .post("/api/v1/projects/" + project + "/keys").then().statusCode(201).extract().jsonPath().getString("key");
    }

    private static RequestSpecification registry(String key) {
        return service(Service.REGISTRY, key);
    }

    private static RequestSpecification inference(String key) {
        return service(Service.INFERENCE, key);
    }

    private static RequestSpecification drift(String key) {
        return service(Service.DRIFT, key);
    }

    private static RequestSpecification training(String key) {
        return service(Service.TRAINING, key);
    }

    private static RequestSpecification agent(String key) {
        return service(Service.AGENT, key);
    }

    private static RequestSpecification service(Service service, String key) {
        RequestSpecification spec = given().baseUri(suite.url(service)).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + key);
        return key.startsWith("keel_") ? spec : spec.header("X-Keel-Project", project == null ? "" : project);
    }

    private static long queryLong(String sql, Object... args) throws SQLException {
        return ((Number) query(sql, args)).longValue();
    }

    private static String queryString(String sql, Object... args) throws SQLException {
        return (String) query(sql, args);
    }

    private static Object query(String sql, Object... args) throws SQLException {
        try (Connection c = database.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for %s", sql).isTrue();
                return rs.getObject(1);
            }
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "system-admin-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void step(String message) {
        LOG.info(() -> String.format("[%5.1f s] %s", Duration.between(STARTED, Instant.now()).toMillis() / 1000.0, message));
    }

    /** Predicts the same rows over and over on two threads until stopped, counting answers per version and failures. */
    private static final class BackgroundClient implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger total = new AtomicInteger();
        private final Map<Integer, AtomicInteger> byVersion = new ConcurrentHashMap<>();
        private final java.util.Queue<Prediction> answered = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile String firstFailure;
        private final List<Thread> threads = new ArrayList<>();

        BackgroundClient(List<Map<String, Object>> rows) {
            for (int t = 0; t < 2; t++) {
                int offset = t;
                Thread thread = new Thread(() -> {
                    int i = offset;
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = predict(rows.get(i++ % rows.size()));
                            total.incrementAndGet();
                            if (r.statusCode() != 200) {
                                fail(r.statusCode() + " " + r.body());
                            } else {
                                JsonNode body = JSON.readTree(r.body());
                                int v = body.get("version").asInt();
                                byVersion.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
                                answered.add(new Prediction(UUID.fromString(body.get("request_id").asText()), v,
                                        body.get("prediction").asDouble()));
                            }
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            total.incrementAndGet();
                            fail(e.toString());
                        }
                    }
                }, "system-test-client-" + t);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }

        private void fail(String what) {
            failures.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = what;
            }
        }

        int answersFrom(int version) {
            return byVersion.getOrDefault(version, new AtomicInteger()).get();
        }

        int failures() {
            return failures.get();
        }

        /** Every prediction answered 200, with its request id. */
        List<Prediction> answered() {
            return List.copyOf(answered);
        }

        int total() {
            return total.get();
        }

        String firstFailure() {
            return firstFailure;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
