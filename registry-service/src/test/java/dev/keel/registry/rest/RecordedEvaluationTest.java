package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.churnMetadata;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static dev.keel.registry.Fixtures.promote;
import static dev.keel.registry.Fixtures.registerChurn;
import static dev.keel.registry.Fixtures.resource;
import static dev.keel.registry.Fixtures.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.stats.baseline.CategoricalBaseline;
import dev.keel.common.stats.baseline.NumericBaseline;
import dev.keel.registry.Fixtures;
import dev.keel.registry.service.ModelArtifact;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate?record=true}: a model trained elsewhere and uploaded bare gets its metrics measured
 * by the registry, which the gate then checks, and baseline statistics that drift can read; the
 * recording needs the write role, leaves served versions alone and is idempotent for the same file.
 */
@QuarkusTest
class RecordedEvaluationTest {

    /** The churn model's schema and nothing else: no metrics, no baseline, as a model trained elsewhere arrives. */
    private static final String BARE_METADATA = """
            {"feature_schema": [
              {"name": "tenure_months", "type": "numeric"},
              {"name": "monthly_charges", "type": "numeric"},
              {"name": "support_calls", "type": "numeric"},
              {"name": "has_contract", "type": "boolean"},
              {"name": "plan", "type": "categorical", "categories": ["basic", "standard", "premium"]}]}""";

    /** The keys training's baseline writes for each kind of feature (common's NumericBaseline, CategoricalBaseline). */
    private static final Set<String> NUMERIC_KEYS = Set.of("name", "type", "count", "missing", "mean", "std", "min", "max",
            "quantile_probabilities", "quantiles", "histogram", "sample");
    private static final Set<String> CATEGORICAL_KEYS = Set.of("name", "type", "count", "missing", "category_counts");

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper mapper;

    private Fixtures.Project p;

    @BeforeEach
    void newProject() {
        p = newProjectWithKeys();
    }

    @Test
    void recordedMetricsLetAnUploadedModelPassTheGateWhenItsMeasuredF1MeetsTheThreshold() throws Exception {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        promote(p.write(), "churn", 1, "production").then().statusCode(409)
                .body("errors.message", contains("f1 was not recorded; the threshold is 0.75"));

        float f1 = record(p.write(), "churn", 1, resource("data/churn-eval.csv"))
                .statusCode(200)
                .body("recorded", equalTo(true))
                .body("rows", equalTo(300))
                .body("metrics.threshold", equalTo(0.5f))
                .body("metrics.measured_by_evaluation.recorded_by", startsWith("write-"))
                .body("metrics.measured_by_evaluation.recorded_at", notNullValue())
                .body("metrics.measured_by_evaluation.data_sha256",
                        equalTo(ModelArtifact.sha256Hex(resource("data/churn-eval.csv"))))
                .body("metrics.measured_by_evaluation.rows", equalTo(300))
                .body("metrics.measured_by_evaluation.target", equalTo("churned"))
                .body("metrics.measured_by_evaluation.baseline_stats_recorded", equalTo(true))
                .extract().path("metrics.f1");
        as(p.read()).when().get("/api/v1/models/churn/versions/1").then()
                .body("metrics.f1", equalTo(f1))
                .body("metrics.confusion_matrix.flatten().sum()", equalTo(300))
                .body("metrics.measured_by_evaluation.rows", equalTo(300));
        gateThreshold("churn", Math.floor(f1 * 100) / 100);

        promote(p.write(), "churn", 1, "production").then().statusCode(200)
                .body("gate_result.passed", equalTo(true))
                .body("gate_result.checks.find { it.name == 'metric_f1' }.passed", equalTo(true));
    }

    @Test
    void recordedMetricsBelowTheThresholdFailTheGateNamingF1() {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        float f1 = record(p.write(), "churn", 1, resource("data/churn-eval.csv")).statusCode(200).extract().path("metrics.f1");
        gateThreshold("churn", 0.99);

        promote(p.write(), "churn", 1, "production").then().statusCode(409)
                .contentType("application/problem+json")
                .body("errors.field", contains("metric_f1"))
                .body("errors.message", contains(String.format(java.util.Locale.ROOT,
                        "f1 %.4f is below the threshold 0.9900", f1)));
    }

    @Test
    void theBaselineIsTrainingsFormatWhichDriftReads() throws Exception {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        record(p.write(), "churn", 1, resource("data/churn-eval.csv")).statusCode(200);

        // read as drift reads it: the column's text into common's BaselineStatistics, unknown fields refused
        String stored = stored("churn", 1, "baseline_stats");
        BaselineStatistics baseline = mapper.readValue(stored, BaselineStatistics.class);
        assertThat(baseline.referenceRows()).isEqualTo(300);
        assertThat(baseline.features()).extracting(f -> f.name())
                .containsExactly("tenure_months", "monthly_charges", "support_calls", "has_contract", "plan");
        baseline.features().forEach(f -> assertThat(f.count() + f.missing()).as(f.name()).isEqualTo(300));

        NumericBaseline tenure = (NumericBaseline) baseline.features().get(0);
        assertThat(tenure.sample()).hasSize(300).isSorted();
        assertThat(tenure.histogram().total()).isEqualTo(300);
        assertThat(tenure.quantiles()).hasSize(21);
        CategoricalBaseline contract = (CategoricalBaseline) baseline.features().get(3);
        assertThat(contract.categoryCounts().keySet()).containsExactly("false", "true");
        CategoricalBaseline plan = (CategoricalBaseline) baseline.features().get(4);
        assertThat(plan.categoryCounts().keySet()).as("category names, as live traffic sends them")
                .containsExactlyInAnyOrder("basic", "standard", "premium");

        // and key for key what training writes
        JsonNode json = mapper.readTree(stored);
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("format_version", "reference_rows", "features");
        assertThat(json.get("format_version").asInt()).isEqualTo(BaselineStatistics.FORMAT_VERSION);
        for (int f = 0; f < 3; f++) {
            assertThat(fieldNames(json.get("features").get(f))).as("feature " + f).isEqualTo(NUMERIC_KEYS);
            assertThat(json.get("features").get(f).get("type").asText()).isEqualTo("numeric");
        }
        assertThat(fieldNames(json.get("features").get(3))).isEqualTo(CATEGORICAL_KEYS);
        assertThat(json.get("features").get(3).get("type").asText()).isEqualTo("boolean");
        assertThat(fieldNames(json.get("features").get(4))).isEqualTo(CATEGORICAL_KEYS);
        assertThat(json.get("features").get(4).get("type").asText()).isEqualTo("categorical");

        // and the gate, whose smoke set draws numeric values from its ranges, passes
        gateThreshold("churn", 0.1);
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
    }

    @Test
    void theSameDataAgainChangesNothingAndOtherDataReplacesTheMetricsButNotTheBaseline() throws Exception {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        String recordedAt = record(p.write(), "churn", 1, resource("data/churn-eval.csv")).statusCode(200)
                .extract().path("metrics.measured_by_evaluation.recorded_at");
        String metrics = stored("churn", 1, "metrics");
        String baseline = stored("churn", 1, "baseline_stats");

        record(p.admin(), "churn", 1, resource("data/churn-eval.csv")).statusCode(200)
                .body("recorded", equalTo(false))
                .body("metrics.measured_by_evaluation.recorded_at", equalTo(recordedAt))
                .body("metrics.measured_by_evaluation.recorded_by", startsWith("write-"));
        assertThat(stored("churn", 1, "metrics")).isEqualTo(metrics);

        byte[] first100 = firstRows(101);
        record(p.write(), "churn", 1, first100).statusCode(200)
                .body("recorded", equalTo(true))
                .body("rows", equalTo(100))
                .body("metrics.measured_by_evaluation.rows", equalTo(100))
                .body("metrics.measured_by_evaluation.data_sha256", equalTo(ModelArtifact.sha256Hex(first100)))
                .body("metrics.measured_by_evaluation.baseline_stats_recorded", equalTo(false));
        assertThat(stored("churn", 1, "baseline_stats")).as("the first baseline stays").isEqualTo(baseline);

        // two recordings, two rows of the history (the unchanged one made none), newest first
        as(p.read()).when().get("/api/v1/models/churn/history").then().statusCode(200)
                .body("items.kind", contains("evaluation", "evaluation"))
                .body("items[0].version", equalTo(1))
                .body("items[0].from_stage", equalTo("none"))
                .body("items[0].to_stage", equalTo("none"))
                .body("items[0].actor", startsWith("write-"))
                .body("items[0].reason", containsString("100 labelled rows"))
                .body("items[0].details.rows", equalTo(100))
                .body("items[0].details.data_sha256", equalTo(ModelArtifact.sha256Hex(first100)))
                .body("items[0].details.baseline_stats_recorded", equalTo(false))
                .body("items[0].details.replaced_metrics.measured_by_evaluation.recorded_at", equalTo(recordedAt))
                .body("items[1].details.baseline_stats_recorded", equalTo(true))
                .body("items[1].details.replaced_metrics", not(hasKey("f1")));
    }

    @Test
    void anUploadedBaselineIsKept() throws Exception {
        registerChurn(p.write(), "churn", churnMetadata());
        String uploaded = stored("churn", 1, "baseline_stats");
        record(p.write(), "churn", 1, resource("data/churn-eval.csv")).statusCode(200)
                .body("metrics.measured_by_evaluation.baseline_stats_recorded", equalTo(false));
        assertThat(stored("churn", 1, "baseline_stats")).isEqualTo(uploaded);
    }

    @Test
    void withoutRecordNothingIsStored() throws Exception {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        String before = stored("churn", 1, "metrics");
        evaluate(p.write(), "churn", 1, resource("data/churn-eval.csv"), null).statusCode(200)
                .body("$", not(hasKey("recorded")))
                .body("metrics", not(hasKey("measured_by_evaluation")));
        evaluate(p.write(), "churn", 1, resource("data/churn-eval.csv"), "false").statusCode(200)
                .body("$", not(hasKey("recorded")));
        assertThat(stored("churn", 1, "metrics")).isEqualTo(before);
        assertThat(stored("churn", 1, "baseline_stats")).isNull();
    }

    @Test
    void aReadKeyCannotRecord() throws Exception {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        record(p.read(), "churn", 1, resource("data/churn-eval.csv")).statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("needs the write role"));
        record(p.approver(), "churn", 1, resource("data/churn-eval.csv")).statusCode(403);
        assertThat(stored("churn", 1, "baseline_stats")).isNull();
        as(p.read()).when().get("/api/v1/models/churn/versions/1").then()
                .body("metrics", not(hasKey("f1")));
    }

    @Test
    void aVersionInProductionOrArchivedKeepsTheMetricsItWasPromotedOn() throws Exception {
        registerChurn(p.write(), "churn", churnMetadata());
        registerChurn(p.write(), "churn", churnMetadata());
        promote(p.write(), "churn", 1, "production").then().statusCode(200);
        String promotedOn = stored("churn", 1, "metrics");

        record(p.admin(), "churn", 1, resource("data/churn-eval.csv")).statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("record"))
                .body("detail", startsWith("record: churn v1 is in production; the metrics it was promoted on are kept"));
        promote(p.write(), "churn", 2, "production").then().statusCode(200);
        record(p.write(), "churn", 1, resource("data/churn-eval.csv")).statusCode(409)
                .body("detail", startsWith("record: churn v1 is archived"));
        assertThat(stored("churn", 1, "metrics")).isEqualTo(promotedOn);
    }

    @Test
    void aBadCsvIsStill422NamingTheProblemAndRecordsNothing() throws Exception {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        String csv = "tenure_months,monthly_charges,support_calls,has_contract,plan,churned\n12,abc,1,true,basic,0\n";
        record(p.write(), "churn", 1, csv.getBytes(StandardCharsets.UTF_8)).statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("monthly_charges"))
                .body("detail", equalTo("row 1, column 'monthly_charges': 'abc' is not a number"));
        record(p.write(), "churn", 1, new byte[0]).statusCode(422)
                .body("field", equalTo("data")).body("detail", equalTo("data: the CSV is empty"));
        assertThat(stored("churn", 1, "baseline_stats")).isNull();
        assertThat(stored("churn", 1, "metrics")).doesNotContain("measured_by_evaluation");
    }

    @Test
    void recordedMetricsAreMeasuredAtTheVersionsDecisionThreshold() {
        upload(p.write(), "churn", resource("models/churn-model.json"), BARE_METADATA).then().statusCode(201);
        as(p.write()).multiPart("data", "data.csv", resource("data/churn-eval.csv"), "text/csv").multiPart("threshold", "0.3")
                .when().post("/api/v1/models/churn/versions/1/evaluate?record=true")
                .then().statusCode(422).body("field", equalTo("threshold"))
                .body("detail", startsWith("threshold: recorded metrics are measured at the version's decision_threshold (0.5)"));
        as(p.write()).multiPart("data", "data.csv", resource("data/churn-eval.csv"), "text/csv").multiPart("threshold", "0.5")
                .when().post("/api/v1/models/churn/versions/1/evaluate?record=true")
                .then().statusCode(200).body("recorded", equalTo(true));
        evaluate(p.write(), "churn", 1, resource("data/churn-eval.csv"), "maybe").statusCode(400)
                .body("field", equalTo("record"));
    }

    @Test
    void anUploadCannotClaimItsMetricsWereMeasuredHere() {
        String forged = BARE_METADATA.replace("{\"feature_schema\"", """
                {"metrics": {"f1": 0.99, "measured_by_evaluation": {"recorded_by": "ci", "data_sha256": "00", "rows": 1,
                 "target": "y", "baseline_stats_recorded": false}}, "feature_schema\"""");
        upload(p.write(), "churn", resource("models/churn-model.json"), forged).then().statusCode(422)
                .body("field", equalTo("metadata.metrics.measured_by_evaluation"));
    }

    private ValidatableResponse record(String key, String model, int version, byte[] csv) {
        return evaluate(key, model, version, csv, "true");
    }

    private static ValidatableResponse evaluate(String key, String model, int version, byte[] csv, String record) {
        return as(key).multiPart("data", "data.csv", csv, "text/csv")
                .when().post("/api/v1/models/" + model + "/versions/" + version + "/evaluate"
                        + (record == null ? "" : "?record=" + record))
                .then();
    }

    private void gateThreshold(String model, double f1) {
        as(p.admin()).contentType("application/json").body(Map.of("gate_thresholds", Map.of("f1", f1)))
                .when().patch("/api/v1/models/" + model).then().statusCode(200);
    }

    /** A JSONB column of the version, as text, as drift reads it. */
    private String stored(String model, int version, String column) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT v.%s::text FROM model_versions v
                JOIN registered_models m ON m.id = v.model_id JOIN projects pr ON pr.id = m.project_id
                WHERE pr.name = ? AND m.name = ? AND v.version = ?""".formatted(column))) {
            ps.setString(1, p.name());
            ps.setString(2, model);
            ps.setInt(3, version);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The evaluation CSV's header and its first {@code lines - 1} rows. */
    private static byte[] firstRows(int lines) {
        List<String> all = Arrays.asList(new String(resource("data/churn-eval.csv"), StandardCharsets.UTF_8).split("\n"));
        return (all.subList(0, lines).stream().collect(Collectors.joining("\n")) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
