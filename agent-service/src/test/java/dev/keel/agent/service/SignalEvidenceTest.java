package dev.keel.agent.service;

import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evidence fields a signal's diagnosis reads are checked before anything is judged or done: a
 * wrong type or a value out of range is a 400 naming evidence.&lt;field&gt;, with no action taken;
 * drift-service's own signals, extras and nulls included, still pass.
 */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class SignalEvidenceTest {

    private static final String ADMIN_KEY = "test-bootstrap-admin-key-agent-5c0f9e1b";

    @Inject
    DataSource dataSource;

    @InjectDownstream
    Downstream stubs;

    Fixtures f;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "evidence");
    }

    private ValidatableResponse post(String kind, String model, String evidence) {
        return given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"" + kind + "\", \"model_name\": \"" + model + "\", \"evidence\": " + evidence + "}")
                .when().post("/api/v1/agent/signals").then();
    }

    private void refused(String kind, String model, String evidence, String field, String expected) throws Exception {
        post(kind, model, evidence).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("evidence." + field))
                .body("detail", containsString("evidence." + field + ": must be " + expected));
        assertThat(f.count("SELECT count(*) FROM agent_actions WHERE project_id = ? AND model_name = ?", f.project.id(), model))
                .as("%s %s: nothing done", field, evidence).isZero();
    }

    @Test
    void anF1ThatIsNotANumberFrom0To1IsRefusedAndNothingIsProposed() throws Exception {
        String model = Fixtures.model("f1");
        f.production(model, 3, 0.84, 0.88, 0.5);
        for (String bad : new String[] {"\"abc\"", "[]", "{}", "-1", "1.2", "true", "\"0.5\""}) {
            refused("performance_degradation", model, "{\"f1\": " + bad + "}", "f1", "a number from 0 to 1");
        }
        refused("performance_degradation", model, "{\"f1\": 0.5, \"reference_f1\": 1e999}", "reference_f1", "a number from 0 to 1");
        refused("performance_degradation", model, "{\"accuracy\": 2}", "accuracy", "a number from 0 to 1");
        refused("performance_degradation", model, "{\"rmse\": -0.5}", "rmse", "a finite number of 0 or more");
        refused("performance_degradation", model, "{\"f1\": 0.5, \"sample_count\": 1.5}", "sample_count", "a whole number from 1");
        refused("performance_degradation", model, "{\"f1\": 0.5, \"sample_count\": 0}", "sample_count", "a whole number from 1");
        refused("performance_degradation", model, "{\"f1\": 0.5, \"model_version\": \"3\"}", "model_version", "a whole number from 1");
    }

    @Test
    void sharesAndRatesAboveOneAreRefused() throws Exception {
        String model = Fixtures.model("share");
        refused("low_confidence", model, "{\"low_confidence_share\": 9223372036854775808}", "low_confidence_share",
                "a number from 0 to 1, not 9223372036854775808");
        refused("low_confidence", model, "{\"low_confidence_share\": 0.6, \"margin\": -0.1}", "margin", "a number from 0 to 1");
        refused("prediction_anomaly", model, "{\"positive_rate\": 1.5, \"reference_positive_rate\": 0.2}", "positive_rate",
                "a number from 0 to 1");
        refused("data_quality", model, "{\"invalid_rate\": 0.3, \"rows\": -3}", "rows", "a whole number from 1");
        refused("data_quality", model, "{\"refused_rate\": \"high\"}", "refused_rate", "a number from 0 to 1, not a string");
    }

    @Test
    void aProposedThresholdOutsideZeroToOneIsRefusedBeforeTheThresholdMoves() throws Exception {
        String model = Fixtures.model("threshold");
        f.production(model, 1, 0.85, 0.9, 0.5);
        refused("prediction_anomaly", model, "{\"positive_rate\": 0.4, \"reference_positive_rate\": 0.2, \"proposed_threshold\": 5}",
                "proposed_threshold", "a number from 0 to 1");
        stubs.registry.verify(0, patchRequestedFor(urlPathMatching("/api/v1/models/" + model + "/versions/.*")));

        // in range, it is the threshold the adjustment takes
        post("prediction_anomaly", model, "{\"positive_rate\": 0.4, \"reference_positive_rate\": 0.2, \"proposed_threshold\": 0.6}")
                .statusCode(200).body("severity", equalTo("warning"))
                .body("actions.find { it.action == 'adjust_threshold' }.params.decision_threshold", equalTo(0.6f));
    }

    @Test
    void aDriftReportIdIsAWholeNumberAndTheVerdictABoolean() throws Exception {
        String model = Fixtures.model("report");
        refused("data_drift", model, "{\"report_id\": 1.5}", "report_id", "a whole number from 1");
        refused("data_drift", model, "{\"report_id\": \"12\"}", "report_id", "a whole number from 1");
        refused("data_drift", model, "{\"report_id\": -4}", "report_id", "a whole number from 1");
        refused("data_drift", model, "{\"dataset_drift\": \"yes\"}", "dataset_drift", "true or false");
        refused("data_drift", model, "{\"dataset_drift\": true, \"drift_share\": 3}", "drift_share", "a number from 0 to 1");
        refused("data_drift", model, "{\"dataset_drift\": true, \"drift_score\": -1}", "drift_score", "a finite number of 0 or more");
        refused("data_drift", model, "{\"dataset_drift\": true, \"severity\": 2}", "severity", "a string");

        // 12.0 is a whole number: the report it names is looked up, and stored as the periodic check stores it
        long report = f.driftReport(model, 1, true, 0.75, 0.62, "critical");
        post("data_drift", model, "{\"report_id\": " + report + ".0}").statusCode(200)
                .body("severity", equalTo("critical")).body("evidence.report_id", equalTo((int) report));
        assertThat(f.count("SELECT count(*) FROM agent_actions WHERE project_id = ? AND model_name = ? "
                + "AND evidence ->> 'report_id' = ?", f.project.id(), model, Long.toString(report))).isPositive();
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        post("performance_degradation", Fixtures.model("several"), "{\"f1\": \"abc\", \"sample_count\": 2.5}")
                .statusCode(400).body("detail", equalTo("2 fields are invalid"))
                .body("errors.field", hasItems("evidence.f1", "evidence.sample_count"));
    }

    @Test
    void driftServicesOwnSignalsStillPass() throws Exception {
        // ScheduledDriftJob: the report id and its numbers, with extras the agent does not read
        String drift = Fixtures.model("scheduled");
        long report = f.driftReport(drift, 2, true, 0.5, 0.3, "warning");
        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"data_drift\", \"severity\": \"warning\", \"model_name\": \"" + drift + "\", \"model_version\": 2, "
                        + "\"source\": \"drift-service\", \"evidence\": {\"trigger\": \"schedule\", \"report_id\": " + report
                        + ", \"model_version\": 2, \"drift_share\": 0.5, \"drift_score\": 0.3, \"drifted_features\": [\"age\"], "
                        + "\"window_start\": \"2026-12-06T03:00:00Z\", \"window_end\": \"2026-12-06T04:00:00Z\"}}")
                .when().post("/api/v1/agent/signals").then().statusCode(200)
                .body("severity", equalTo("warning")).body("explanation", containsString("Drift report " + report));

        // MonitorService: no report and no dataset_drift (its alert's severity stands), a drift score above 1 (PSI),
        // the top features as a list of objects
        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"data_drift\", \"severity\": \"critical\", \"model_name\": \"" + Fixtures.model("monitor")
                        + "\", \"model_version\": 1, \"source\": \"drift-service\", \"evidence\": {\"trigger\": \"monitor\", "
                        + "\"model_version\": 1, \"drift_share\": 0.4, \"drift_score\": 1.7, \"drifted_features\": [\"age\"], "
                        + "\"top_features\": [{\"feature\": \"age\", \"score\": 1.7}], \"window_size\": 500, "
                        + "\"window_capacity\": 500}}")
                .when().post("/api/v1/agent/signals").then().statusCode(200).body("severity", equalTo("critical"));

        // ScheduledPerformanceJob, a multi-class model: no F1 (null), a realized accuracy, the recorded metrics by other names
        String perf = Fixtures.model("perfjob");
        f.production(perf, 3, 0.84, 0.88, 0.5);
        given().header("X-API-Key", f.project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"performance_degradation\", \"severity\": \"warning\", \"model_name\": \"" + perf
                        + "\", \"evidence\": {\"model_version\": 3, \"task\": \"multiclass\", \"metric\": \"accuracy\", "
                        + "\"recorded\": 0.88, \"realized\": 0.7, \"drop\": 0.18, \"allowed_drop\": 0.05, \"realized_f1\": null, "
                        + "\"realized_accuracy\": 0.7, \"recorded_f1\": 0.84, \"recorded_accuracy\": 0.88, \"f1\": null, "
                        + "\"accuracy\": 0.7, \"reference_f1\": 0.84, \"reference_accuracy\": 0.88, \"labelled\": 120, "
                        + "\"window_start\": \"2026-12-06T03:00:00Z\", \"window_end\": \"2026-12-06T04:00:00Z\"}}")
                .when().post("/api/v1/agent/signals").then().statusCode(200)
                .body("severity", equalTo("critical")).body("evidence.drop_metric", equalTo("accuracy"));
        // and a regression model's: RMSE against the recorded one
        post("performance_degradation", Fixtures.model("rmsejob"), "{\"model_version\": 1, \"task\": \"regression\", "
                + "\"rise\": 1.2, \"allowed_rise\": 0.4, \"rmse\": 3.2, \"mae\": 2.1, \"reference_rmse\": 2.0, \"labelled\": 90}")
                .statusCode(200).body("severity", equalTo("critical")).body("evidence.rise", equalTo(0.6f));
    }

    @Test
    void theBootstrapKeyNamingAProjectThatDoesNotExistIs404() {
        given().header("X-API-Key", ADMIN_KEY).header("X-Keel-Project", "no-such-project-" + System.nanoTime())
                .contentType(ContentType.JSON)
                .body("{\"kind\": \"low_confidence\", \"model_name\": \"m\", \"evidence\": {\"low_confidence_share\": 0.6}}")
                .when().post("/api/v1/agent/signals").then().statusCode(404).contentType("application/problem+json");
    }
}
