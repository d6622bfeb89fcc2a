package dev.keel.drift.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.DriftFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PerformanceResourceTest {

    /** Numbers as doubles: the default parses them as floats, too coarse to check exact metrics. */
    private static final JsonPathConfig DOUBLES = new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE);
    private static final Instant TEN = Instant.parse("2026-11-30T10:00:00Z");

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    DriftFixtures fixtures;
    DriftFixtures.Version version;

    @BeforeEach
    void aProductionVersion() throws Exception {
        fixtures = new DriftFixtures(dataSource, json);
        version = fixtures.modelVersion("production", null, "{\"f1\": 0.8, \"accuracy\": 0.8}");
    }

    @Test
    void aHandCheckedBucketHasExactMetrics() throws Exception {
        // probability, label (-1: no feedback); prediction = probability >= 0.5
        double[][] rows = {
                {0.95, 1}, {0.85, 1}, {0.75, 0}, {0.65, 1}, {0.55, 0},
                {0.45, 1}, {0.45, 0}, {0.25, 0}, {0.15, 0}, {0.05, 0}, {0.90, -1}};
        // TP 3 (.95 .85 .65), FP 2 (.75 .55), FN 1 (.45), TN 4 (.45 .25 .15 .05)
        // AUC: positives .95 .85 .65 .45 beat 6 + 6 + 5 + (3 + a tie at .45 as 1/2) of 4 x 6 pairs = 20.5 / 24
        List<UUID> ids = log(rows, TEN.plus(Duration.ofMinutes(1)), Duration.ofMinutes(5));

        JsonPath run = compute(Map.of("model_name", version.model(), "from", TEN.toString(),
                "to", TEN.plus(Duration.ofHours(1)).toString()))
                .statusCode(200).extract().body().jsonPath().using(DOUBLES);

        assertThat(run.getString("from")).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(run.getString("to")).isEqualTo("2026-11-30T11:00:00Z");
        assertThat(run.getInt("model_version")).isEqualTo(1);
        assertThat(run.getBoolean("estimated")).as("10 labels are too few to calibrate").isFalse();
        assertThat(run.getList("buckets")).hasSize(1);
        Map<String, Object> b = run.getMap("buckets[0]");
        assertThat(b).containsEntry("kind", "realized").containsEntry("bucket_start", "2026-11-30T10:00:00Z")
                .containsEntry("bucket_end", "2026-11-30T11:00:00Z")
                .containsEntry("sample_count", 11).containsEntry("labelled_count", 10);
        assertThat(run.getDouble("buckets[0].accuracy")).isCloseTo(0.7, within(1e-12));
        assertThat(run.getDouble("buckets[0].precision")).isCloseTo(0.6, within(1e-12));
        assertThat(run.getDouble("buckets[0].recall")).isCloseTo(0.75, within(1e-12));
        assertThat(run.getDouble("buckets[0].f1")).isCloseTo(6.0 / 9.0, within(1e-12));
        assertThat(run.getDouble("buckets[0].roc_auc")).isCloseTo(20.5 / 24, within(1e-12));
        assertThat(run.getDouble("buckets[0].mean_probability")).isCloseTo(6.0 / 11, within(1e-12));
        assertThat(run.getDouble("buckets[0].positive_rate")).isCloseTo(6.0 / 11, within(1e-12));
        assertThat(run.getDouble("buckets[0].low_confidence_share")).as(".55 .45 .45").isCloseTo(3.0 / 11, within(1e-12));
        assertThat(run.getDouble("buckets[0].true_positives")).isEqualTo(3.0);
        assertThat(run.getDouble("buckets[0].false_negatives")).isEqualTo(1.0);
        assertThat(ids).hasSize(11);

        assertThat(fixtures.count("SELECT count(*) FROM performance_metrics WHERE project_id = ? AND model_name = ? "
                + "AND model_version = 1 AND kind = 'realized' AND sample_count = 11 AND labelled_count = 10 "
                + "AND abs(f1 - 2.0 / 3) < 1e-12 AND abs(roc_auc - 20.5 / 24) < 1e-12", version.projectId(),
                version.model())).isOne();

        JsonPath listed = list(Map.of("model_name", version.model(), "model_version", "1",
                "from", "2026-11-30T00:00:00Z", "to", "2026-12-01T00:00:00Z"))
                .statusCode(200).extract().body().jsonPath().using(DOUBLES);
        assertThat(listed.getList("kind")).containsExactly("realized");
        assertThat(listed.getDouble("[0].accuracy")).isCloseTo(0.7, within(1e-12));
        assertThat(listed.getString("[0].model_name")).isEqualTo(version.model());

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("keel_model_performance\\{[^}]*metric=\"f1\"[^}]*model=\""
                + version.model() + "\"[^}]*\\} 0\\.666666");
        assertThat(metrics).containsPattern("keel_model_performance\\{[^}]*metric=\"low_confidence_share\"[^}]*model=\""
                + version.model() + "\"");
    }

    @Test
    void bucketsAreHalfOpenAndTheRangeIsWidenedToWholeBuckets() throws Exception {
        Instant[] at = {TEN.minusMillis(1), TEN, TEN.plus(Duration.ofMinutes(59)), TEN.plus(Duration.ofHours(1))};
        for (Instant t : at) {
            List<UUID> id = fixtures.predictions(version, List.of(Map.of()), t, Duration.ZERO, new double[] {0.8});
            fixtures.feedback(version, id.get(0), 1.0);
        }

        JsonPath run = compute(Map.of("model_name", version.model(), "model_version", 1,
                "from", "2026-11-30T09:30:00Z", "to", "2026-11-30T10:30:00Z"))
                .statusCode(200).extract().body().jsonPath().using(DOUBLES);

        assertThat(run.getString("from")).isEqualTo("2026-11-30T09:00:00Z");
        assertThat(run.getString("to")).isEqualTo("2026-11-30T11:00:00Z");
        assertThat(run.getList("buckets.bucket_start"))
                .containsExactly("2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z");
        assertThat(run.getList("buckets.sample_count")).containsExactly(1, 2);
        assertThat(run.getList("buckets.accuracy", Double.class)).containsExactly(1.0, 1.0);
        assertThat((Object) run.get("buckets[0].roc_auc")).as("one class only").isNull();

        compute(Map.of("model_name", version.model(), "from", "2026-11-30T09:00:00Z", "to", "2026-11-30T12:00:00Z"))
                .statusCode(200);
        assertThat(fixtures.count("SELECT count(*) FROM performance_metrics WHERE project_id = ? AND kind = 'realized'",
                version.projectId())).as("recomputing replaces rows; 11:00 is a bucket of its own").isEqualTo(3);
    }

    @Test
    void confidenceBasedEstimatesOfAnUnlabelledCalibratedWindowAreCloseToTheTruth() throws Exception {
        SplittableRandom r = new SplittableRandom(42);
        // reference: two days before, labelled, probabilities uniform and perfectly calibrated
        int referenceRows = 3000;
        double[] refP = new double[referenceRows];
        double[] refY = new double[referenceRows];
        for (int i = 0; i < referenceRows; i++) {
            refP[i] = r.nextDouble();
            refY[i] = r.nextDouble() < refP[i] ? 1 : 0;
        }
        List<UUID> refIds = fixtures.predictions(version, Collections.nCopies(referenceRows, Map.of()),
                TEN.minus(Duration.ofDays(2)), Duration.ofSeconds(10), refP);
        fixtures.feedback(version, refIds, refY);
        // analysis: one hour, no feedback, a shifted probability distribution (covariate shift)
        int rows = 3000;
        double[] p = new double[rows];
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        boolean[] labels = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            p[i] = Math.pow(r.nextDouble(), 0.6);
            boolean y = r.nextDouble() < p[i];
            labels[i] = y;
            boolean predicted = p[i] >= 0.5;
            if (predicted && y) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (y) {
                fn++;
            } else {
                tn++;
            }
        }
        fixtures.predictions(version, Collections.nCopies(rows, Map.of()), TEN, Duration.ofMillis(1000), p);

        JsonPath run = compute(Map.of("model_name", version.model(), "from", TEN.toString(),
                "to", TEN.plus(Duration.ofHours(1)).toString()))
                .statusCode(200).extract().body().jsonPath().using(DOUBLES);

        assertThat(run.getBoolean("estimated")).isTrue();
        assertThat(run.getLong("calibration_rows")).isEqualTo(referenceRows);
        assertThat(run.getList("buckets.kind")).containsExactly("realized", "estimated");
        Map<String, Object> estimated = run.getMap("buckets.find { it.kind == 'estimated' }");
        assertThat(estimated).containsEntry("sample_count", rows).containsEntry("labelled_count", 0);
        Map<String, Object> realized = run.getMap("buckets.find { it.kind == 'realized' }");
        assertThat(realized).containsEntry("labelled_count", 0).containsEntry("f1", null);

        double accuracy = (tp + tn) / (double) rows;
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
        assertThat(number(estimated, "accuracy")).isCloseTo(accuracy, within(0.03));
        assertThat(number(estimated, "precision")).isCloseTo(precision, within(0.03));
        assertThat(number(estimated, "recall")).isCloseTo(recall, within(0.03));
        assertThat(number(estimated, "f1")).isCloseTo(f1, within(0.03));
        assertThat(number(estimated, "roc_auc")).as("the labels' own ROC-AUC").isCloseTo(rocAuc(p, labels), within(0.03));
        assertThat(number(estimated, "true_positives") + number(estimated, "false_positives")
                + number(estimated, "false_negatives") + number(estimated, "true_negatives"))
                .isCloseTo(rows, within(1e-6));

        JsonPath listed = list(Map.of("model_name", version.model(), "kind", "estimated",
                "from", TEN.toString(), "to", TEN.plus(Duration.ofHours(1)).toString()))
                .statusCode(200).extract().body().jsonPath().using(DOUBLES);
        assertThat(listed.getList("kind")).containsExactly("estimated");
        assertThat(listed.getDouble("[0].f1")).isCloseTo(number(estimated, "f1"), within(1e-12));
    }

    /** Mann–Whitney by brute force over all (positive, negative) pairs, ties counted ½. */
    private static double rocAuc(double[] p, boolean[] y) {
        double won = 0;
        long pairs = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (y[i] && !y[j]) {
                    won += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return won / pairs;
    }

    @Test
    void aMultiClassBucketHasAccuracyAndMacroAveragesAsScikitLearnComputesThem() throws Exception {
        version = fixtures.modelVersion("production", null, "{\"accuracy\": 0.9}", "multi:softprob");
        // predicted class, true class (-1: no feedback), probability of the predicted class
        double[][] rows = {{0, 0, .9}, {0, 0, .8}, {1, 0, .6}, {1, 1, .7}, {2, 1, .5}, {2, 2, .9}, {2, 2, .8},
                {0, 1, .4}, {1, -1, .6}};
        // class 0: predicted 3 (2 right), actual 3 -> P 2/3, R 2/3, F1 2/3
        // class 1: predicted 2 (1 right), actual 3 -> P 1/2, R 1/3, F1 2/5
        // class 2: predicted 3 (2 right), actual 2 -> P 2/3, R 1, F1 4/5
        double[] predictions = new double[rows.length];
        Double[] probabilities = new Double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            predictions[i] = rows[i][0];
            probabilities[i] = rows[i][2];
        }
        List<UUID> ids = fixtures.predictions(version, Collections.nCopies(rows.length, Map.of()),
                TEN.plus(Duration.ofMinutes(1)), Duration.ofMinutes(5), predictions, probabilities);
        fixtures.feedback(version, ids.subList(0, 8), Arrays.stream(rows).limit(8).mapToDouble(r -> r[1]).toArray());

        JsonPath run = compute(Map.of("model_name", version.model(), "from", TEN.toString(),
                "to", TEN.plus(Duration.ofHours(1)).toString()))
                .statusCode(200).extract().body().jsonPath().using(DOUBLES);

        assertThat(run.getString("task")).isEqualTo("multiclass");
        assertThat(run.getBoolean("estimated")).as("the estimate is for binary classifiers").isFalse();
        assertThat(run.getList("buckets.kind")).containsExactly("realized");
        Map<String, Object> b = run.getMap("buckets[0]");
        assertThat(b).containsEntry("sample_count", 9).containsEntry("labelled_count", 8)
                .containsEntry("roc_auc", null).containsEntry("true_positives", null)
                .containsEntry("positive_rate", null).containsEntry("low_confidence_share", null)
                .containsEntry("mae", null).containsEntry("rmse", null);
        assertThat(run.getDouble("buckets[0].accuracy")).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(run.getDouble("buckets[0].precision")).isCloseTo((2.0 / 3 + 1.0 / 2 + 2.0 / 3) / 3, within(1e-12));
        assertThat(run.getDouble("buckets[0].recall")).isCloseTo((2.0 / 3 + 1.0 / 3 + 1) / 3, within(1e-12));
        assertThat(run.getDouble("buckets[0].f1")).isCloseTo((2.0 / 3 + 2.0 / 5 + 4.0 / 5) / 3, within(1e-12));
        assertThat(run.getDouble("buckets[0].mean_probability")).isCloseTo(6.2 / 9, within(1e-12));

        JsonPath listed = list(Map.of("model_name", version.model(), "from", TEN.toString(),
                "to", TEN.plus(Duration.ofHours(1)).toString())).statusCode(200).extract().body().jsonPath().using(DOUBLES);
        assertThat(listed.getDouble("[0].f1")).isCloseTo(run.getDouble("buckets[0].f1"), within(1e-12));
    }

    @Test
    void aRegressionBucketHasMeanAbsoluteAndRootMeanSquaredError() throws Exception {
        version = fixtures.modelVersion("production", null, "{\"rmse\": 2.0}", "reg:squarederror");
        double[] predictions = {10, 20, 30, 40};
        List<UUID> ids = fixtures.predictions(version, Collections.nCopies(4, Map.of()), TEN.plus(Duration.ofMinutes(1)),
                Duration.ofMinutes(5), predictions, new Double[4]);
        fixtures.feedback(version, ids.subList(0, 3), new double[] {12, 18, 33});   // errors -2, 2, -3; the last unlabelled

        JsonPath run = compute(Map.of("model_name", version.model(), "from", TEN.toString(),
                "to", TEN.plus(Duration.ofHours(1)).toString()))
                .statusCode(200).extract().body().jsonPath().using(DOUBLES);

        assertThat(run.getString("task")).isEqualTo("regression");
        assertThat(run.getList("buckets.kind")).containsExactly("realized");
        assertThat(run.getMap("buckets[0]")).containsEntry("sample_count", 4).containsEntry("labelled_count", 3)
                .containsEntry("accuracy", null).containsEntry("f1", null).containsEntry("mean_probability", null);
        assertThat(run.getDouble("buckets[0].mae")).isCloseTo(7.0 / 3, within(1e-12));
        assertThat(run.getDouble("buckets[0].rmse")).isCloseTo(Math.sqrt(17.0 / 3), within(1e-12));

        JsonPath listed = list(Map.of("model_name", version.model(), "from", TEN.toString(),
                "to", TEN.plus(Duration.ofHours(1)).toString())).statusCode(200).extract().body().jsonPath().using(DOUBLES);
        assertThat(listed.getDouble("[0].rmse")).isCloseTo(Math.sqrt(17.0 / 3), within(1e-12));
    }

    @Test
    void aModelThatPredictsRawMarginsIsRefusedNamingTheVersion() throws Exception {
        version = fixtures.modelVersion("production", null, "{}", "binary:logitraw");
        compute(Map.of("model_name", version.model())).statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("model_version")).body("detail", containsString("raw margins"));
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        compute(Map.of("model_name", "no-such-model")).statusCode(404)
                .contentType("application/problem+json").body("field", equalTo("model_name"));
        compute(Map.of("model_name", version.model(), "model_version", 7)).statusCode(404)
                .contentType("application/problem+json").body("field", equalTo("model_version"));
        compute(Map.of("model_name", version.model(), "from", "2026-11-30T12:00:00Z", "to", "2026-11-30T10:00:00Z"))
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("to"));
        compute(Map.of("model_name", version.model(), "from", "yesterday")).statusCode(400)
                .body("field", equalTo("from")).body("detail", containsString("ISO-8601"));
        compute(Map.of("model_name", version.model(), "from", "1970-01-01T00:00:00Z")).statusCode(400)
                .body("field", equalTo("from"));
        compute(Map.of("from", "2026-11-30T10:00:00Z")).statusCode(400).body("field", equalTo("model_name"));

        list(Map.of("model_name", "no-such-model")).statusCode(404).body("field", equalTo("model_name"));
        list(Map.of("model_name", version.model(), "kind", "guessed")).statusCode(400).body("field", equalTo("kind"));
        list(Map.of("from", "2026-11-30T12:00:00Z", "to", "2026-11-30T10:00:00Z")).statusCode(400)
                .body("field", equalTo("to"));
        for (String limit : List.of("0", "10001", "many")) {
            list(Map.of("model_name", version.model(), "limit", limit)).statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("limit"))
                    .body("detail", containsString("10000"));
        }
        list(Map.of("model_name", version.model(), "limit", "10000")).statusCode(200);
    }

    @Test
    void anInstantPostgresqlCannotHoldIsABadRequestNamingItsParameter() {
        // java.time reads them; PostgreSQL answered "timestamp out of range", a 500
        String far = "+999999999-12-31T23:59:59Z";
        String early = "-999999999-01-01T00:00:00Z";
        list(Map.of("model_name", version.model(), "to", far)).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("to"))
                .body("detail", containsString("9999-12-31T23:59:59Z"));
        list(Map.of("model_name", version.model(), "from", early)).statusCode(400).body("field", equalTo("from"));
        list(Map.of("model_name", version.model(), "from", early, "to", far)).statusCode(400).body("field", equalTo("to"));
        compute(Map.of("model_name", version.model(), "to", far)).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("to"));
        compute(Map.of("model_name", version.model(), "from", early, "to", "2026-11-30T10:00:00Z")).statusCode(400)
                .body("field", equalTo("from"));
        // the edges of the years 0001 to 9999 are fine
        list(Map.of("model_name", version.model(), "from", "0001-01-01T00:00:00Z", "to", "9999-12-31T23:59:59Z"))
                .statusCode(200);
    }

    @Test
    void performanceNeedsAnApiKey() {
        given().contentType("application/json").body(Map.of("model_name", version.model()))
                .when().post("/api/v1/performance/compute").then().statusCode(401);
        given().when().get("/api/v1/performance").then().statusCode(401);
    }

    private List<UUID> log(double[][] rows, Instant start, Duration step) throws Exception {
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p[i] = rows[i][0];
        }
        List<UUID> ids = fixtures.predictions(version, Collections.nCopies(rows.length, Map.of()), start, step, p);
        List<UUID> labelled = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i][1] >= 0) {
                labelled.add(ids.get(i));
                labels.add(rows[i][1]);
            }
        }
        fixtures.feedback(version, labelled, labels.stream().mapToDouble(Double::doubleValue).toArray());
        return ids;
    }

    private static double number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    private ValidatableResponse compute(Map<String, ?> body) {
        return given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .contentType("application/json").body(body)
                .when().post("/api/v1/performance/compute")
                .then();
    }

    private ValidatableResponse list(Map<String, String> query) {
        Map<String, Object> params = new HashMap<>(query);
        params.put("project", version.project());
        return given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParams(params)
                .when().get("/api/v1/performance")
                .then();
    }
}
