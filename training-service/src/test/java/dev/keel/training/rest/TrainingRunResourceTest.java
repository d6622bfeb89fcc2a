package dev.keel.training.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.keel.training.data.EncodedDataset;
import dev.keel.training.data.HeartData;
import dev.keel.training.learning.Cancellation;
import dev.keel.training.learning.FinalModel;
import dev.keel.training.learning.Hyperparameters;
import dev.keel.training.learning.StratifiedSplit;
import dev.keel.training.learning.XgbTrainer;
import dev.keel.training.testing.InjectRegistryStub;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class TrainingRunResourceTest {

    private static final List<String> HEART = List.of("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
            "thalach", "exang", "oldpeak", "slope", "ca", "thal");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource db;

    @InjectRegistryStub
    WireMockServer registry;

    TestProjects.Project project;
    String model;

    @BeforeEach
    void setUp() {
        project = TestProjects.create(db);
        model = "heart-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRunCrossValidatesEveryFamilyRegistersTheBestAndPromotesItWhenThereIsNoProduction() throws Exception {
        registers(7);
        long dataset = Runs.heartDataset(project, 600, 21);

        project.asAdmin().contentType("application/json")
                .body("{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}")
                .when().post("/api/v1/training-runs")
                .then().statusCode(202)
                .header("Location", containsString("/api/v1/training-runs/"))
                .body("status", org.hamcrest.Matchers.equalTo("queued"))
                .body("trigger", org.hamcrest.Matchers.equalTo("manual"))
                .body("triggered_by", org.hamcrest.Matchers.equalTo("bootstrap-admin"));
        long runId = latestRun();
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getString("progress.phase")).isEqualTo("finished");
        assertThat(run.getInt("progress.candidates_done")).isEqualTo(4);
        assertThat(run.getInt("progress.candidates_total")).isEqualTo(4);
        assertThat(run.getLong("progress.estimated_remaining_ms")).isZero();
        assertThat(run.getList("candidates.family")).containsExactlyInAnyOrder(
                "gradient_boosting", "leaf_wise", "random_forest", "logistic_regression");
        for (int c = 0; c < 4; c++) {
            assertThat(run.getList("candidates[" + c + "].folds")).as("candidate %d folds", c).hasSize(5);
        }
        double bestMean = run.getList("candidates.mean_f1", Float.class).stream().mapToDouble(Float::doubleValue).max().orElseThrow();
        assertThat(run.getDouble("best_params.mean_f1")).isCloseTo(bestMean, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(run.getString("search_space.strategy")).isEqualTo("grid");
        assertThat(run.getInt("search_space.folds")).isEqualTo(5);
        assertThat(run.getDouble("test_metrics.f1")).isGreaterThan(0.6);
        assertThat(run.getDouble("test_metrics.roc_auc")).isGreaterThan(0.7);
        List<List<Integer>> confusion = run.getList("test_metrics.confusion_matrix");
        assertThat(confusion.stream().flatMap(List::stream).mapToInt(Integer::intValue).sum()).as("test rows").isEqualTo(120);
        assertThat(run.getDouble("test_metrics.threshold")).isEqualTo(run.getDouble("best_params.threshold"));
        List<List<Double>> roc = run.getList("roc_curve.collect { it.collect { p -> p as double } }");
        assertThat(roc).as("ROC curve").hasSizeBetween(3, 101);
        assertThat(roc.get(0)).isEqualTo(List.of(0.0, 0.0));
        assertThat(roc.get(roc.size() - 1)).isEqualTo(List.of(1.0, 1.0));
        double area = 0;
        for (int i = 1; i < roc.size(); i++) {
            assertThat(roc.get(i).get(0)).as("fpr at %d", i).isGreaterThanOrEqualTo(roc.get(i - 1).get(0));
            assertThat(roc.get(i).get(1)).as("tpr at %d", i).isGreaterThanOrEqualTo(roc.get(i - 1).get(1));
            area += (roc.get(i).get(0) - roc.get(i - 1).get(0)) * (roc.get(i).get(1) + roc.get(i - 1).get(1)) / 2;
        }
        if (roc.size() < 101) {
            // not thinned, so the area under it is exactly the reported ROC-AUC
            assertThat(area).isCloseTo(run.getDouble("test_metrics.roc_auc"), org.assertj.core.api.Assertions.within(1e-6));
        }
        project.asAdmin().queryParam("model", model).when().get("/api/v1/training-runs")
                .then().statusCode(200)
                .body("items", org.hamcrest.Matchers.hasSize(1))
                .body("items[0].id", org.hamcrest.Matchers.equalTo((int) runId))
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("roc_curve")));
        assertThat(run.getBoolean("gate_result.promoted")).isTrue();
        assertThat(run.getString("gate_result.stage")).isEqualTo("production");
        assertThat(run.getString("gate_result.reason")).contains("there is no production version to beat");
        assertThat(run.getInt("registered_version")).isEqualTo(7);
        assertThat(run.getLong("duration_ms")).isPositive();

        LoggedRequest registration = single(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/versions")));
        assertThat(registration.getHeader("Authorization")).isEqualTo("Bearer " + TestProjects.ADMIN_KEY);
        assertThat(registration.queryParameter("project").firstValue()).isEqualTo(project.name());
        var artifact = registration.getPart("artifact");
        assertThat(artifact.getHeader("Content-Disposition").firstValue()).contains("filename=\"model.json\"");
        JsonNode model = JSON.readTree(artifact.getBody().asBytes());
        assertThat(model.at("/learner/feature_names")).hasSize(13);
        assertThat(model.at("/learner/feature_names/0").asText()).isEqualTo("age");
        JsonNode metadata = JSON.readTree(registration.getPart("metadata").getBody().asString());
        assertThat(metadata.get("algorithm").asText()).startsWith("xgboost:");
        assertThat(metadata.get("training_run_id").asLong()).isEqualTo(runId);
        assertThat(metadata.get("dataset_fingerprint").asText()).hasSize(64);
        assertThat(metadata.at("/params/positive_class").asText()).as("the labels behind 1 and 0, for evaluations")
                .isEqualTo("1");
        assertThat(metadata.at("/params/negative_class").asText()).isEqualTo("0");
        assertThat(metadata.at("/metrics/f1").asDouble()).isEqualTo(run.getDouble("test_metrics.f1"), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(metadata.at("/metrics/confusion_matrix")).hasSize(2);
        List<String> schema = JSON.convertValue(metadata.get("feature_schema").findValues("name").stream().map(JsonNode::asText).toList(), List.class);
        assertThat(schema).containsExactlyElementsOf(HEART);
        assertThat(metadata.at("/feature_schema/1/type").asText()).isEqualTo("boolean");
        assertThat(metadata.at("/baseline_stats/reference_rows").asLong()).as("the training split").isEqualTo(480);
        assertThat(metadata.at("/baseline_stats/features/0/type").asText()).isEqualTo("numeric");
        assertThat(metadata.at("/baseline_stats/features/0/sample").size()).isEqualTo(480);
        assertThat(metadata.at("/baseline_stats/features/1/category_counts").size()).isEqualTo(2);
        registry.verify(postRequestedFor(urlPathEqualTo("/api/v1/models/" + this.model + "/versions/7/stage"))
                .withRequestBody(equalToJson("{\"stage\": \"production\"}", true, true)));

        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, jsonb_array_length(candidates), dataset_fingerprint, trigger, error, jsonb_array_length(roc_curve) "
                        + "FROM training_runs WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("succeeded");
                assertThat(rs.getInt(2)).isEqualTo(4);
                assertThat(rs.getString(3)).isEqualTo(metadata.get("dataset_fingerprint").asText());
                assertThat(rs.getString(4)).isEqualTo("manual");
                assertThat(rs.getString(5)).isNull();
                assertThat(rs.getInt(6)).as("stored ROC points").isEqualTo(roc.size());
            }
        }
        String metrics = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("keel_training_candidates_done\\{[^}]*model=\"" + this.model + "\"[^}]*} 4\\.0");
        assertThat(metrics).containsPattern("keel_training_candidates_planned\\{[^}]*model=\"" + this.model + "\"[^}]*} 4\\.0");
        assertThat(metrics).contains("keel_training_runs_finished_total{status=\"succeeded\"");
    }

    @Test
    void aModelBelowTheQualityGateStaysInStagingAndTheRunSaysWhy() {
        registers(1);
        long dataset = Runs.upload(project, HeartData.noiseCsv(600, 4, 0.25));

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("rejected");
        assertThat(run.getBoolean("gate_result.promoted")).isFalse();
        assertThat(run.getString("gate_result.stage")).isEqualTo("staging");
        assertThat(run.getString("gate_result.reason")).startsWith("Kept in staging: test F1").contains("is below the quality gate's 0.6000");
        assertThat(run.getList("gate_result.checks.name")).contains("min_f1");
        assertThat(run.getInt("registered_version")).isEqualTo(1);
        // the registry's stage history names the run beside its reason
        registry.verify(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/versions/1/stage"))
                .withRequestBody(equalToJson("{\"stage\": \"staging\"}", true, true))
                .withRequestBody(matchingJsonPath("$.reason", matching("Training run " + runId + ": Kept in staging: test F1 .*"))));
    }

    @Test
    void aChallengerThatBeatsProductionOnTheSameHeldOutRowsIsPromoted() throws Exception {
        registers(4);
        production(3, weakChampion());
        long dataset = Runs.heartDataset(project, 600, 22);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("gate_result.champion_version")).isEqualTo(3);
        assertThat(run.getDouble("gate_result.challenger_f1")).isGreaterThan(run.getDouble("gate_result.champion_f1") + 0.01);
        assertThat(run.getString("gate_result.checks.find { it.name == 'beats_production' }.detail"))
                .contains("vs production v3's").contains("on the same 120 held-out rows");
        registry.verify(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/versions/4/stage"))
                .withRequestBody(equalToJson("{\"stage\": \"production\"}", true, true)));
    }

    @Test
    void aProductionVersionThatCannotBeScoredOnTheDatasetKeepsTheChallengerInStaging() throws Exception {
        registers(2);
        production(1, weakChampion("cholesterol"));
        long dataset = Runs.heartDataset(project, 400, 23);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).isEqualTo("rejected");
        assertThat(run.getString("gate_result.reason")).contains("production v1 could not be scored on this run's test rows: "
                + "it needs the feature 'cholesterol', which this run's dataset lacks");
    }

    @Test
    void whenTheRegistrysOwnGateRefusesProductionTheVersionStaysInStaging() {
        registers(5);
        registry.stubFor(post(urlPathEqualTo("/api/v1/models/" + model + "/versions/5/stage"))
                .withRequestBody(equalToJson("{\"stage\": \"production\"}", true, true))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\": \"Conflict\", \"status\": 409, \"detail\": \"The deployment gate failed\", "
                                + "\"errors\": [{\"field\": \"roc_auc\", \"message\": \"0.81 is below 0.9\"}]}")));
        long dataset = Runs.heartDataset(project, 400, 24);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).isEqualTo("rejected");
        assertThat(run.getString("gate_result.reason")).contains("the registry's deployment gate refused production")
                .contains("roc_auc: 0.81 is below 0.9");
        registry.verify(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/versions/5/stage"))
                .withRequestBody(equalToJson("{\"stage\": \"staging\"}", true, true)));
    }

    @Test
    void aRegistryThatIsAwayForAWhileDelaysTheRunButDoesNotFailIt() {
        String versions = "/api/v1/models/" + model + "/versions";
        // more failures than one call's own retries, so the run's patience has to outlast them
        answersAfterFailures(versions, List.of(unavailable(), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                unavailable(), unavailable()), aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"model\": \"" + model + "\", \"version\": 3, \"stage\": \"none\", "
                        + "\"artifact_sha256\": \"ab\", \"created_by\": \"bootstrap-admin\"}"));
        answersAfterFailures(versions + "/3/stage", List.of(unavailable(), unavailable(), unavailable(), unavailable(),
                unavailable()), aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}"));
        long dataset = Runs.heartDataset(project, 400, 26);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("registered_version")).isEqualTo(3);
        assertThat(run.getString("gate_result.stage")).isEqualTo("production");
        List<LoggedRequest> uploads = registry.findAll(postRequestedFor(urlPathEqualTo(versions)));
        assertThat(uploads).hasSize(5);
        byte[] first = uploads.get(0).getPart("artifact").getBody().asBytes();
        for (LoggedRequest upload : uploads) {
            assertThat(upload.getPart("metadata").getBody().asString()).as("each copy names the run, so the registry "
                    + "answers a repeat with the version it made").contains("\"training_run_id\":" + runId);
            assertThat(upload.getPart("artifact").getBody().asBytes()).isEqualTo(first);
        }
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo(versions + "/3/stage"))
                .withRequestBody(equalToJson("{\"stage\": \"production\"}", true, true)))).hasSize(6);
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo(versions + "/3/stage"))
                .withRequestBody(equalToJson("{\"stage\": \"staging\"}", true, true)))).isEmpty();
    }

    @Test
    void aGateDecidedAgainAfterALostAnswerLeavesAVersionAlreadyInProductionThere() {
        // the registry says the version this run registers is production already: an earlier try promoted it
        registers(6);
        production(6, weakChampion());
        long dataset = Runs.heartDataset(project, 400, 27);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getString("gate_result.checks.find { it.name == 'beats_production' }.detail"))
                .isEqualTo("v6 is already the production version");
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/versions/6/stage"))))
                .as("no stage change: neither production again (a 409) nor staging").isEmpty();
    }

    @Test
    void aPromotionWhoseAnswerWasLostIsNotUndoneByTheRetrysConflict() {
        // the registry moves v3 to production but the connection drops before its answer; the retry
        // hears 409 "already in production", which must not send the new production back to staging
        registers(3);
        String stage = "/api/v1/models/" + model + "/versions/3/stage";
        String production = "/api/v1/models/" + model + "/production";
        String scenario = "lost answer " + model;
        registry.stubFor(get(urlPathEqualTo(production)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\": \"Not Found\", \"status\": 404, \"detail\": \"no production version\"}")));
        registry.stubFor(post(urlPathEqualTo(stage)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("moved"));
        registry.stubFor(post(urlPathEqualTo(stage)).inScenario(scenario).whenScenarioStateIs("moved")
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\": \"Conflict\", \"status\": 409, \"detail\": \"v3 is already in production\"}")));
        registry.stubFor(get(urlPathEqualTo(production)).inScenario(scenario).whenScenarioStateIs("moved")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"project\": \"" + project.name() + "\", \"model\": \"" + model + "\", \"version\": 3, "
                                + "\"stage\": \"production\", \"decision_threshold\": 0.5, \"metrics\": {}, "
                                + "\"feature_schema\": [], \"artifact\": {\"sha256\": \"ab\"}}")));
        long dataset = Runs.heartDataset(project, 400, 28);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getString("gate_result.stage")).isEqualTo("production");
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo(stage))
                .withRequestBody(equalToJson("{\"stage\": \"production\"}", true, true)))).hasSize(2);
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo(stage))
                .withRequestBody(equalToJson("{\"stage\": \"staging\"}", true, true)))).as("never demoted").isEmpty();
    }

    @Test
    void aPromotionJudgedAgainstAChampionReplacedMeanwhileIsJudgedAgainAgainstTheNewOne() {
        // another run promotes v5 while this one judges v4 against v3: the registry refuses v4's
        // promotion naming expected_production_version, and v4 is judged again, against v5
        registers(4);
        String scenario = "production moved on " + model;
        String stage = "/api/v1/models/" + model + "/versions/4/stage";
        production(3, weakChampion(), scenario, Scenario.STARTED);
        production(5, weakChampion(), scenario, "moved");
        registry.stubFor(post(urlPathEqualTo(stage)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(equalToJson("{\"stage\": \"production\", \"expected_production_version\": 3}", true, true))
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\": \"Conflict\", \"status\": 409, \"field\": \"expected_production_version\", "
                                + "\"detail\": \"expected_production_version: it has v5 in production, not v3\"}"))
                .willSetStateTo("moved"));
        registry.stubFor(post(urlPathEqualTo(stage)).inScenario(scenario).whenScenarioStateIs("moved")
                .withRequestBody(equalToJson("{\"stage\": \"production\", \"expected_production_version\": 5}", true, true))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        long dataset = Runs.heartDataset(project, 600, 29);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getInt("gate_result.champion_version")).as("judged against the new champion").isEqualTo(5);
        assertThat(run.getString("gate_result.checks.find { it.name == 'beats_production' }.detail"))
                .contains("vs production v5's");
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo(stage))
                .withRequestBody(equalToJson("{\"stage\": \"production\"}", true, true)))).hasSize(2);
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo(stage))
                .withRequestBody(equalToJson("{\"stage\": \"staging\"}", true, true)))).isEmpty();
    }

    @Test
    void aRegistryOfTheReleaseBeforeThatKnowsNoExpectedProductionVersionStillPromotes() {
        // during a rollout an old registry pod answers 400 "Unknown field" to the new precondition
        registers(7);
        String stage = "/api/v1/models/" + model + "/versions/7/stage";
        registry.stubFor(post(urlPathEqualTo(stage)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.expected_production_version"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\": \"Bad request\", \"status\": 400, \"field\": \"expected_production_version\", "
                                + "\"detail\": \"expected_production_version: Unknown field 'expected_production_version'\"}")));
        registry.stubFor(post(urlPathEqualTo(stage)).atPriority(5)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        long dataset = Runs.heartDataset(project, 400, 30);

        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(run.getString("gate_result.stage")).isEqualTo("production");
        List<LoggedRequest> moves = registry.findAll(postRequestedFor(urlPathEqualTo(stage)));
        assertThat(moves).hasSize(2);
        assertThat(moves.get(0).getBodyAsString()).contains("\"expected_production_version\":0");
        assertThat(moves.get(1).getBodyAsString()).contains("\"stage\":\"production\"")
                .doesNotContain("expected_production_version");
    }

    @Test
    void aRunShowsItsProgressWhileItRunsAndCanBeCancelled() {
        registers(1);
        long dataset = Runs.heartDataset(project, 1500, 25);
        long runId = Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset
                + ", \"families\": [\"gradient_boosting\", \"random_forest\"], \"search\": {\"strategy\": \"random\", \"budget\": 60}}");

        JsonPath running = Runs.awaitRun(project, runId, r -> r.getInt("progress.candidates_done") >= 1, Duration.ofSeconds(90));
        assertThat(running.getString("status")).isEqualTo("running");
        assertThat(running.getString("progress.phase")).isEqualTo("searching");
        assertThat(running.getInt("progress.candidates_total")).isEqualTo(60);
        assertThat(running.getString("progress.best_so_far.family")).isIn("gradient_boosting", "random_forest");
        assertThat(running.getDouble("progress.best_so_far.mean_f1")).isPositive();
        assertThat(running.getLong("progress.elapsed_ms")).isPositive();
        assertThat(running.getLong("progress.estimated_remaining_ms")).isPositive();
        assertThat(running.getString("progress.worker")).isEqualTo("training-test");
        assertThat(running.getList("candidates")).isNotEmpty();

        project.asAdmin().when().post("/api/v1/training-runs/" + runId + "/cancel")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("cancelled"))
                .body("error", org.hamcrest.Matchers.equalTo("Cancelled by bootstrap-admin"));
        JsonPath cancelled = Runs.awaitRun(project, runId, r -> true, Duration.ofSeconds(5));
        int done = cancelled.getInt("progress.candidates_done");
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JsonPath later = Runs.awaitRun(project, runId, r -> true, Duration.ofSeconds(5));
        assertThat(later.getString("status")).isEqualTo("cancelled");
        assertThat(later.getInt("progress.candidates_done")).as("the worker stopped").isEqualTo(done);
        assertThat(registry.findAll(postRequestedFor(urlPathEqualTo("/api/v1/models/" + model + "/versions")))).isEmpty();

        project.asAdmin().when().post("/api/v1/training-runs/" + runId + "/cancel")
                .then().statusCode(409).body("detail", containsString("has already finished"));
    }

    @Test
    void aRunWhoseGateIsDecidingCanNoLongerBeCancelled() throws Exception {
        // a run on another replica, deciding whether its version replaces production: a cancel now could
        // leave a cancelled run's version in production, so it is refused
        long id;
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO training_runs (project_id, model_name, trigger, triggered_by, status, phase, started_at, progress) "
                        + "VALUES (?, ?, 'manual', 'test', 'running', 'gating', now(), "
                        + "jsonb_build_object('worker', 'elsewhere', 'heartbeat_at', now())) RETURNING id")) {
            ps.setLong(1, project.id());
            ps.setString(2, model);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        project.asAdmin().when().post("/api/v1/training-runs/" + id + "/cancel")
                .then().statusCode(409).body("detail", containsString("deciding whether its version replaces production"));
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE training_runs SET phase = 'searching' WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        project.asAdmin().when().post("/api/v1/training-runs/" + id + "/cancel")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("cancelled"));
    }

    @Test
    void aRunRequestIsCheckedBeforeAnythingIsQueued() throws Exception {
        long untrainable = project.asAdmin().contentType("text/csv").body(DatasetResourceTest.resource("mixed-types.csv"))
                .queryParam("target", "diagnosis").when().post("/api/v1/datasets").then().statusCode(201)
                .extract().jsonPath().getLong("id");

        project.asAdmin().contentType("application/json").body("{\"model_name\": \"m\", \"dataset_id\": 999999999}")
                .when().post("/api/v1/training-runs").then().statusCode(422)
                .body("field", org.hamcrest.Matchers.equalTo("dataset_id"));
        project.asAdmin().contentType("application/json").body("{\"model_name\": \"m\", \"dataset_id\": " + untrainable + "}")
                .when().post("/api/v1/training-runs").then().statusCode(422)
                .body("detail", containsString("Class 'absent' has only 3 rows"));
        project.asAdmin().contentType("application/json").body("{\"model_name\": \"bad name!\", \"dataset_id\": " + untrainable + "}")
                .when().post("/api/v1/training-runs").then().statusCode(422)
                .body("field", org.hamcrest.Matchers.equalTo("model_name"));
        project.asAdmin().contentType("application/json")
                .body("{\"model_name\": \"m\", \"dataset_id\": 1, \"families\": [\"svm\"]}")
                .when().post("/api/v1/training-runs").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("families[0]"))
                .body("detail", containsString("expected one of gradient_boosting, leaf_wise"));
        project.asAdmin().contentType("application/json")
                .body("{\"model_name\": \"m\", \"dataset_id\": 1, \"families\": [null]}")
                .when().post("/api/v1/training-runs").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.startsWith("families"));
        project.asAdmin().contentType("application/json")
                .body("{\"model_name\": \"m\", \"dataset_id\": 1, \"search\": {\"budget\": 0}}")
                .when().post("/api/v1/training-runs").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("search.budget"));
        project.asAdmin().when().get("/api/v1/training-runs").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(0));
    }

    private long latestRun() {
        return project.asAdmin().when().get("/api/v1/training-runs").then().statusCode(200)
                .extract().jsonPath().getLong("items[0].id");
    }

    private void registers(int version) {
        registry.stubFor(post(urlPathEqualTo("/api/v1/models/" + model + "/versions"))
                .withQueryParam("project", equalTo(project.name()))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"model\": \"" + model + "\", \"version\": " + version + ", \"stage\": \"none\", "
                                + "\"artifact_sha256\": \"ab\", \"created_by\": \"bootstrap-admin\"}")));
    }

    /** POSTs to {@code path} get each of {@code failures} in turn, then {@code answer} from then on. */
    private void answersAfterFailures(String path, List<ResponseDefinitionBuilder> failures, ResponseDefinitionBuilder answer) {
        String scenario = "registry away " + path;
        String state = Scenario.STARTED;
        for (int i = 0; i < failures.size(); i++) {
            String next = "failure " + (i + 1);
            registry.stubFor(post(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(failures.get(i)).willSetStateTo(next));
            state = next;
        }
        registry.stubFor(post(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs(state).willReturn(answer));
    }

    private static ResponseDefinitionBuilder unavailable() {
        return aResponse().withStatus(503).withHeader("Content-Type", "application/problem+json").withHeader("Retry-After", "5")
                .withBody("{\"title\": \"Service unavailable\", \"status\": 503, \"detail\": \"The database is unreachable\"}");
    }

    private void production(int version, byte[] artifact) {
        production(version, artifact, null, null);
    }

    /** The production version as the registry answers it; in a scenario's state when one is named. */
    private void production(int version, byte[] artifact, String scenario, String state) {
        StringBuilder schema = new StringBuilder();
        for (String f : HEART) {
            schema.append(schema.length() == 0 ? "" : ", ").append("{\"name\": \"").append(f).append("\", \"type\": \"numeric\"}");
        }
        var current = get(urlPathEqualTo("/api/v1/models/" + model + "/production"));
        if (scenario != null) {
            current = current.inScenario(scenario).whenScenarioStateIs(state);
        }
        registry.stubFor(current
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"project\": \"" + project.name() + "\", \"model\": \"" + model + "\", \"version\": " + version
                                + ", \"stage\": \"production\", \"decision_threshold\": 0.5, \"metrics\": {\"f1\": 0.7},"
                                + " \"feature_schema\": [" + schema + "], \"artifact\": {\"sha256\": \"cd\"}}")));
        registry.stubFor(get(urlPathEqualTo("/api/v1/models/" + model + "/versions/" + version + "/artifact"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(artifact)));
    }

    /** A production model trained on labels without signal: it has the right inputs and no skill. */
    private static byte[] weakChampion() {
        return weakChampion("chol");
    }

    /** The same, with the cholesterol feature under another name. */
    private static byte[] weakChampion(String cholesterol) {
        String csv = HeartData.noiseCsv(300, 99, 0.3);
        EncodedDataset noise = HeartData.encode(csv.replaceFirst(",chol,", "," + cholesterol + ","));
        int[] all = StratifiedSplit.all(noise.rows());
        return FinalModel.fit(new XgbTrainer(1, 1), noise, all, new int[] {0},
                new Hyperparameters.GradientBoosting(6, 0.3, 30, 1, 1, 1), 0.5, Cancellation.NEVER).artifact();
    }

    private LoggedRequest single(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
        List<LoggedRequest> requests = registry.findAll(pattern);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
