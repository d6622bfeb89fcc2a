package dev.keel.agent.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each rule at its thresholds (defaults: see AgentConfig), through POST /api/v1/agent/signals and the periodic check. */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class DiagnosisRulesTest {

    @Inject
    DataSource dataSource;

    Fixtures f;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "rules");
    }

    private String severityOf(String kind, String model, String evidence) {
        return f.signal("{\"kind\": \"" + kind + "\", \"model_name\": \"" + model + "\", \"evidence\": " + evidence + "}")
                .extract().jsonPath().getString("severity");
    }

    @Test
    void dataDriftFollowsTheVerdictOfTheNamedDriftReport() throws Exception {
        String model = Fixtures.model("drift");
        long calm = f.driftReport(model, 1, false, 0.1, 0.05, "none");
        long bad = f.driftReport(model, 1, true, 0.75, 0.62, "critical");
        f.signal("{\"kind\": \"data_drift\", \"model_name\": \"" + model + "\", \"evidence\": {\"report_id\": " + calm + "}}")
                .body("issue_detected", equalTo(false)).body("severity", equalTo("none")).body("actions", empty());
        f.signal("{\"kind\": \"data_drift\", \"model_name\": \"" + model + "\", \"evidence\": {\"report_id\": " + bad + "}}")
                .body("severity", equalTo("critical"))
                .body("model_version", equalTo(1))
                .body("evidence.drift_share", equalTo(0.75f))
                .body("explanation", containsString("Drift report " + bad + " found dataset drift"))
                .body("actions.action", hasItems("send_alert", "generate_report", "retrain_model"));
        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"data_drift\", \"model_name\": \"" + model + "\", \"evidence\": {\"report_id\": 999999999}}")
                .when().post("/api/v1/agent/signals")
                .then().statusCode(422).body("field", equalTo("evidence.report_id"));
    }

    @Test
    void performanceDegradationIsTheDropBelowTheProductionVersionsTestMetrics() throws Exception {
        String model = Fixtures.model("perf");
        f.production(model, 3, 0.84, 0.88, 0.5);
        org.assertj.core.api.Assertions.assertThat(severityOf("performance_degradation", model, "{\"f1\": 0.81}")).isEqualTo("none");
        org.assertj.core.api.Assertions.assertThat(severityOf("performance_degradation", model, "{\"f1\": 0.77}")).isEqualTo("warning");
        f.signal("{\"kind\": \"performance_degradation\", \"model_name\": \"" + model + "\", \"evidence\": "
                        + "{\"f1\": 0.80, \"accuracy\": 0.70, \"sample_count\": 240}}")
                .body("severity", equalTo("critical"))
                .body("model_version", equalTo(3))
                .body("evidence.reference_f1", equalTo(0.84f))
                .body("evidence.drop_metric", equalTo("accuracy"))
                .body("evidence.drop", equalTo(0.18f))
                .body("explanation", containsString("Accuracy of " + model + " v3 is 0.700 on 240 labelled predictions against 0.880"));
    }

    @Test
    void aRegressionModelsDegradationIsTheRiseOfItsRmse() throws Exception {
        String model = Fixtures.model("rmse");
        f.production(model, 2, 0.8, 0.8, 0.5);
        f.execute("UPDATE model_versions SET metrics = '{\"rmse\": 2.0}' WHERE model_id = "
                + "(SELECT id FROM registered_models WHERE project_id = ? AND name = ?)", f.project.id(), model);
        org.assertj.core.api.Assertions.assertThat(severityOf("performance_degradation", model, "{\"rmse\": 2.3}"))
                .as("15 %% higher").isEqualTo("none");
        org.assertj.core.api.Assertions.assertThat(severityOf("performance_degradation", model, "{\"rmse\": 2.5}"))
                .as("25 %% higher").isEqualTo("warning");
        f.signal("{\"kind\": \"performance_degradation\", \"model_name\": \"" + model + "\", \"evidence\": "
                        + "{\"rmse\": 3.2, \"sample_count\": 90}}")
                .body("severity", equalTo("critical"))
                .body("evidence.reference_rmse", equalTo(2.0f))
                .body("evidence.rise", equalTo(0.6f))
                .body("evidence.rise_metric", equalTo("rmse"))
                .body("explanation", containsString("RMSE of " + model + " v2 is 3.200 on 90 labelled predictions against 2.000 "
                        + "recorded at training: 60 % higher, critical"));
    }

    @Test
    void predictionAnomalyIsTheShiftOfThePredictedPositiveRate() {
        String model = Fixtures.model("anomaly");
        org.assertj.core.api.Assertions.assertThat(severityOf("prediction_anomaly", model,
                "{\"positive_rate\": 0.3, \"reference_positive_rate\": 0.2}")).isEqualTo("none");
        org.assertj.core.api.Assertions.assertThat(severityOf("prediction_anomaly", model,
                "{\"positive_rate\": 0.4, \"reference_positive_rate\": 0.2}")).isEqualTo("warning");
        org.assertj.core.api.Assertions.assertThat(severityOf("prediction_anomaly", model,
                "{\"positive_rate\": 0.05, \"reference_positive_rate\": 0.45}")).isEqualTo("critical");
    }

    @Test
    void lowConfidenceIsTheShareOfProbabilitiesNearTheThreshold() {
        String model = Fixtures.model("lowconf");
        org.assertj.core.api.Assertions.assertThat(severityOf("low_confidence", model, "{\"low_confidence_share\": 0.2}")).isEqualTo("none");
        org.assertj.core.api.Assertions.assertThat(severityOf("low_confidence", model, "{\"low_confidence_share\": 0.3}")).isEqualTo("warning");
        org.assertj.core.api.Assertions.assertThat(severityOf("low_confidence", model, "{\"low_confidence_share\": 0.55}")).isEqualTo("critical");
    }

    @Test
    void dataQualityIsTheWorstRateOfBadRequests() {
        String model = Fixtures.model("quality");
        org.assertj.core.api.Assertions.assertThat(severityOf("data_quality", model, "{\"invalid_rate\": 0.01}")).isEqualTo("none");
        org.assertj.core.api.Assertions.assertThat(severityOf("data_quality", model,
                "{\"missing_rate\": 0.02, \"unseen_category_rate\": 0.08}")).isEqualTo("warning");
        org.assertj.core.api.Assertions.assertThat(severityOf("data_quality", model, "{\"invalid_rate\": 0.25}")).isEqualTo("critical");
    }

    @Test
    void evidenceWithoutTheRulesNumbersNeedsTheReportersOwnSeverity() {
        String model = Fixtures.model("declared");
        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"low_confidence\", \"model_name\": \"" + model + "\", \"evidence\": {\"note\": \"odd\"}}")
                .when().post("/api/v1/agent/signals")
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("evidence"));
        f.signal("{\"kind\": \"low_confidence\", \"severity\": \"warning\", \"source\": \"grafana\", \"model_name\": \""
                        + model + "\", \"evidence\": {\"note\": \"odd\"}}")
                .body("severity", equalTo("warning"))
                .body("explanation", containsString("grafana reported low confidence"))
                .body("evidence.reported_by", equalTo("writer"));
    }

    @Test
    void malformedSignalsAreRejectedNamingTheField() {
        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"gremlins\", \"model_name\": \"m\"}")
                .when().post("/api/v1/agent/signals").then().statusCode(400).contentType("application/problem+json");
        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"low_confidence\", \"evidence\": {\"low_confidence_share\": 0.9}}")
                .when().post("/api/v1/agent/signals").then().statusCode(400).contentType("application/problem+json");
        given().header("X-API-Key", f.project.readKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"low_confidence\", \"model_name\": \"m\", \"evidence\": {\"low_confidence_share\": 0.9}}")
                .when().post("/api/v1/agent/signals").then().statusCode(403);
    }

    @Test
    void aMultiClassModelIsNotJudgedByAPositiveRateOrLowConfidence() throws Exception {
        String model = Fixtures.model("classes");
        f.production(model, 1, 0.85, 0.9, 0.5);
        f.objective(model, "multi:softprob");
        Instant now = Instant.now();
        // the same shift that is an anomaly and low confidence for a binary classifier (see the test below),
        // and one request in four with an unseen plan
        f.predictions(model, 1, 60, now.minus(Duration.ofMinutes(90)), i -> 0.1, Fixtures::goodFeatures);
        f.predictions(model, 1, 40, now.minusSeconds(5), i -> i % 5 == 0 ? 0.48 : 0.55,
                i -> i % 4 == 0 ? "{\"age\": 40, \"plan\": \"gold\"}" : Fixtures.goodFeatures(i));

        java.util.List<String> kinds = given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks")
                .then().statusCode(200).extract().jsonPath().getList("kind");

        org.assertj.core.api.Assertions.assertThat(kinds).contains("data_quality")
                .doesNotContain("prediction_anomaly", "low_confidence");
    }

    @Test
    void rowsInferenceRefusedAsInvalidAreDataQualityEvenWhenNothingWasLogged() throws Exception {
        String model = Fixtures.model("refused");
        f.production(model, 1, 0.85, 0.9, 0.5);
        // every request of the last hour refused (a client sending a renamed field), so nothing logged;
        // and an older hour's refusals, outside the window, that must not count
        f.execute("""
                INSERT INTO prediction_rejections (project_id, model_name, model_version, hour, feature, reason, rows)
                VALUES (?, ?, 1, date_trunc('hour', now()), 'age', 'missing', 70),
                       (?, ?, 1, date_trunc('hour', now()), 'plan', 'invalid_category', 10),
                       (?, ?, 1, date_trunc('hour', now()) - interval '5 hours', 'age', 'missing', 900)""",
                f.project.id(), model, f.project.id(), model, f.project.id(), model);

        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks")
                .then().statusCode(200)
                .body("find { it.kind == 'data_quality' }.severity", equalTo("critical"))
                .body("find { it.kind == 'data_quality' }.evidence.refused_rows", equalTo(80))
                .body("find { it.kind == 'data_quality' }.evidence.requested_rows", equalTo(80))
                .body("find { it.kind == 'data_quality' }.evidence.refused_rate", equalTo(1.0f))
                .body("find { it.kind == 'data_quality' }.evidence.refused_by_reason.missing", equalTo(70))
                .body("find { it.kind == 'data_quality' }.explanation", containsString("refused rate is 100.0% of 80 requested rows"));
    }

    @Test
    void anOnDemandCheckWhileAnotherRunHoldsTheLeaseIsRefusedWith409() throws Exception {
        String model = Fixtures.model("leased");
        f.production(model, 1, 0.85, 0.9, 0.5);
        f.driftReport(model, 1, true, 0.5, 0.3, "warning");
        // another replica's scheduled check holds the lease (and would judge this drift report itself)
        f.execute("""
                INSERT INTO job_leases (job_name, holder, lease_until, last_run_at)
                VALUES ('agent-check', 'agent-service-elsewhere', now() + interval '10 minutes', now())
                ON CONFLICT (job_name) DO UPDATE
                   SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, last_run_at = EXCLUDED.last_run_at""");
        try {
            given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks")
                    .then().statusCode(409).contentType("application/problem+json")
                    .header("Retry-After", "30")
                    .body("status", equalTo(409))
                    .body("detail", containsString("The periodic check (job agent-check) is running already"));
            org.assertj.core.api.Assertions.assertThat(f.count(
                    "SELECT count(*) FROM agent_actions WHERE project_id = ? AND model_name = ?", f.project.id(), model))
                    .as("nothing diagnosed beside the run holding the lease").isZero();
        } finally {
            f.execute("UPDATE job_leases SET lease_until = now() WHERE job_name = 'agent-check'");
        }

        // the lease let go, the check runs; and it lets the lease go itself when done
        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks")
                .then().statusCode(200).body("kind", hasItems("data_drift"));
        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks").then().statusCode(200);
    }

    @Test
    void thePeriodicCheckFindsAllFiveIssuesInTheSharedSchema() throws Exception {
        String model = Fixtures.model("periodic");
        f.production(model, 2, 0.85, 0.9, 0.5);
        Instant now = Instant.now();
        // the day before the window: mostly negative, confident
        f.predictions(model, 2, 60, now.minus(Duration.ofMinutes(90)), i -> 0.1, Fixtures::goodFeatures);
        // the last hour: hesitant, mostly positive, one request in four with an unseen plan
        f.predictions(model, 2, 40, now.minusSeconds(5), i -> i % 5 == 0 ? 0.48 : 0.55,
                i -> i % 4 == 0 ? "{\"age\": 40, \"plan\": \"gold\"}" : Fixtures.goodFeatures(i));
        f.performance(model, 2, now.minus(Duration.ofMinutes(50)), 120, 0.7, 0.6);
        // a newer bucket whose 500 predictions have no labels yet does not hide the labelled one
        f.unlabelledPerformance(model, 2, now.minus(Duration.ofMinutes(10)), 500);
        long report = f.driftReport(model, 2, true, 0.5, 0.3, "warning");

        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks")
                .then().statusCode(200)
                .body("kind", hasItems("data_drift", "performance_degradation", "prediction_anomaly", "low_confidence",
                        "data_quality"))
                .body("find { it.kind == 'data_drift' }.evidence.report_id", equalTo((int) report))
                .body("find { it.kind == 'performance_degradation' }.severity", equalTo("critical"))
                .body("find { it.kind == 'performance_degradation' }.evidence.sample_count", equalTo(120))
                .body("find { it.kind == 'prediction_anomaly' }.evidence.positive_rate", equalTo(0.8f))
                .body("find { it.kind == 'prediction_anomaly' }.evidence.reference_positive_rate", equalTo(0.0f))
                .body("find { it.kind == 'low_confidence' }.evidence.low_confidence_share", equalTo(1.0f))
                .body("find { it.kind == 'data_quality' }.evidence.unseen_category_rate", equalTo(0.25f))
                .body("find { it.kind == 'data_quality' }.severity", equalTo("critical"));
        org.assertj.core.api.Assertions.assertThat(f.count(
                "SELECT count(*) FROM alerts WHERE project_id = ? AND model_name = ?", f.project.id(), model)).isEqualTo(5);

        // the next round does not act on the same drift report or performance bucket again
        java.util.List<String> again = given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks")
                .then().statusCode(200).extract().jsonPath().getList("kind");
        org.assertj.core.api.Assertions.assertThat(again).doesNotContain("data_drift", "performance_degradation")
                .contains("low_confidence");
    }
}
