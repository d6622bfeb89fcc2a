package dev.keel.drift.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.DriftFixtures.HeartTraffic;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DriftReportResourceTest {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    DriftFixtures fixtures;
    DriftFixtures.Version version;
    Instant start = Instant.now().minus(2, ChronoUnit.HOURS);

    @BeforeEach
    void aProductionVersionWithABaselineOf2000TrainingRows() throws Exception {
        fixtures = new DriftFixtures(dataSource, json);
        version = fixtures.modelVersion("production", HeartTraffic.baseline(HeartTraffic.generate(2000, 1)), "{}");
    }

    @Test
    void aReportOverNonDriftingTrafficFindsNoDrift() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(1500, 2), start, Duration.ofSeconds(1), null);

        JsonPath report = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 1500)))
                .statusCode(201).extract().jsonPath();

        assertThat(report.getBoolean("dataset_drift")).isFalse();
        assertThat(report.getInt("current_rows")).isEqualTo(1500);
        assertThat(report.getLong("reference_rows")).isEqualTo(2000);
        assertThat(report.getList("features.drifted", Boolean.class)).containsOnly(false);
        assertThat(report.getList("features.method", String.class))
                .containsExactly("wasserstein", "wasserstein", "wasserstein", "jensenshannon", "jensenshannon");
        assertThat(report.getString("severity")).isEqualTo("none");
    }

    @Test
    void aReportOverTrafficWithAShiftedFeatureSaysThatFeatureDrifted() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(1500, 3, "age"), start, Duration.ofSeconds(1), null);

        JsonPath report = createReport(Map.of("model_name", version.model(), "model_version", 1,
                "window", Map.of("start", start.toString(), "end", Instant.now().toString())))
                .statusCode(201).extract().jsonPath();

        Map<String, Boolean> drifted = Map.of(
                "age", true, "chol", false, "thalach", false, "cp", false, "fbs", false);
        drifted.forEach((feature, expected) -> assertThat(report.getBoolean("features.find { it.name == '" + feature + "' }.drifted"))
                .as(feature).isEqualTo(expected));
        assertThat(report.getDouble("features.find { it.name == 'age' }.statistic")).isGreaterThan(1.0);
        assertThat(report.getDouble("drift_score")).isEqualTo(1.0);
        assertThat(report.getDouble("drift_share")).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(report.getBoolean("dataset_drift")).as("1 of 5 features is below the 50% share").isFalse();
        assertThat(report.getList("features.find { it.name == 'age' }.histogram")).hasSize(20);
    }

    @Test
    void allMethodsAddsEveryOtherApplicableMethodsFiguresToEachFeature() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(1500, 7, "age"), start, Duration.ofSeconds(1), null);

        JsonPath plain = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 1500)))
                .statusCode(201).extract().jsonPath();
        assertThat(plain.getList("features.alternatives.flatten()")).isEmpty();

        JsonPath all = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 1500), "all_methods", true))
                .statusCode(201).extract().jsonPath();
        String age = "features.find { it.name == 'age' }";
        assertThat(all.getString(age + ".method")).isEqualTo("wasserstein");
        assertThat(all.getList(age + ".alternatives.method", String.class))
                .contains("ks", "psi", "psi_quantile", "jensenshannon").doesNotContain("wasserstein");
        assertThat(all.getBoolean(age + ".alternatives.find { it.method == 'ks' }.drifted")).as("the shifted feature").isTrue();
        assertThat(all.getDouble(age + ".alternatives.find { it.method == 'ks' }.threshold")).isEqualTo(0.05);
        assertThat(all.getList(age + ".alternatives.score", Double.class)).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
        // a binary categorical feature: chi-squared, Z-test and the distances, never the numerical-only methods
        assertThat(all.getList("features.find { it.name == 'fbs' }.alternatives.method", String.class))
                .contains("chisquare", "z").doesNotContain("ks", "wasserstein", "psi_quantile");
        // the verdict still comes from each feature's chosen method alone
        assertThat(all.getDouble("drift_share")).isEqualTo(plain.getDouble("drift_share"));

        String page = given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .when().get("/api/v1/drift/reports/" + all.getLong("id") + ".html")
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("Other methods").contains("ks ");
    }

    @Test
    void aBooleanFeatureLoggedAsOneAndZeroIsReadAsTheBaselinesTrueAndFalse() throws Exception {
        // clients send booleans as 0/1 and inference logs them as sent; training counted true/false
        fixtures.predictions(version, fbsAs(HeartTraffic.generate(1500, 2), true), start, Duration.ofSeconds(1), null);

        JsonPath report = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 1500)))
                .statusCode(201).extract().jsonPath();

        String fbs = "features.find { it.name == 'fbs' }";
        assertThat(report.getBoolean(fbs + ".drifted")).isFalse();
        assertThat(report.getDouble(fbs + ".score")).isLessThan(0.05);
        assertThat(report.getList(fbs + ".histogram.label", String.class)).containsExactly("false", "true");
        assertThat(report.getLong(fbs + ".distinct_values")).isEqualTo(2);
        assertThat(report.getString("severity")).isEqualTo("none");
        assertThat(report.getBoolean("dataset_drift")).isFalse();
    }

    @Test
    void aShiftInABooleansShareIsStillDriftWhenItIsLoggedAsOneAndZero() throws Exception {
        fixtures.predictions(version, fbsAs(HeartTraffic.generate(1500, 3, "fbs"), false), start, Duration.ofSeconds(1), null);

        JsonPath report = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 1500)))
                .statusCode(201).extract().jsonPath();

        Map<String, Boolean> drifted = Map.of("age", false, "chol", false, "thalach", false, "cp", false, "fbs", true);
        drifted.forEach((feature, expected) -> assertThat(report.getBoolean("features.find { it.name == '" + feature
                + "' }.drifted")).as(feature).isEqualTo(expected));
        // 15% true in training, 60% now
        assertThat(report.getDouble("features.find { it.name == 'fbs' }.histogram.find { it.label == 'true' }.current"))
                .isBetween(0.55, 0.65);
    }

    @Test
    void aBooleanFeatureOutsideTrueAndFalseIsStillItsOwnCategory() throws Exception {
        List<Map<String, Object>> rows = fbsAs(HeartTraffic.generate(300, 9), true);
        for (int i = 0; i < 100; i++) {
            rows.get(i).put("fbs", 2);
        }
        fixtures.predictions(version, rows, start, Duration.ofSeconds(1), null);

        JsonPath report = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 300)))
                .statusCode(201).extract().jsonPath();

        assertThat(report.getList("features.find { it.name == 'fbs' }.histogram.label", String.class))
                .containsExactlyInAnyOrder("false", "true", "2");
        assertThat(report.getBoolean("features.find { it.name == 'fbs' }.drifted")).isTrue();
    }

    /**
     * The rows with {@code fbs} as a client may send it: 1/0, or with {@code mixed} in turn 1.0/0.0,
     * true/false and "1"/"0" too (all read as the baseline's "true"/"false").
     */
    private static List<Map<String, Object>> fbsAs(List<Map<String, Object>> rows, boolean mixed) {
        for (int i = 0; i < rows.size(); i++) {
            boolean b = (Boolean) rows.get(i).get("fbs");
            Object value = switch (mixed ? i % 4 : 0) {
                case 0 -> b ? 1 : 0;
                case 1 -> b ? 1.0 : 0.0;
                case 2 -> b;
                default -> b ? "1" : "0";
            };
            rows.get(i).put("fbs", value);
        }
        return rows;
    }

    @Test
    void aReportIsStoredAndReadAgainAsJsonAndAsHtml() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(300, 4, "chol"), start, Duration.ofSeconds(1), null);
        long id = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 300)))
                .statusCode(201).header("Location", startsWith("http")).extract().jsonPath().getLong("id");

        assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE id = ? AND trigger = 'manual'", id)).isOne();
        given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .when().get("/api/v1/drift/reports/" + id)
                .then().statusCode(200).body("id", equalTo((int) id)).body("model_name", equalTo(version.model()))
                .body("features", hasSize(5));
        given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .queryParam("model_name", version.model())
                .when().get("/api/v1/drift/reports")
                .then().statusCode(200).body("id", equalTo(List.of((int) id)));

        String byAccept = given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .accept("text/html").when().get("/api/v1/drift/reports/" + id)
                .then().statusCode(200).contentType(startsWith("text/html")).extract().asString();
        String byExtension = given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .when().get("/api/v1/drift/reports/" + id + ".html")
                .then().statusCode(200).contentType(startsWith("text/html")).extract().asString();

        assertThat(byExtension).isEqualTo(byAccept);
        assertThat(byAccept)
                .startsWith("<!DOCTYPE html>")
                .contains("Drift report " + id, version.model(), "No dataset drift", "1 of 5 features drifted")
                .contains("<svg", "reference", "current")
                .doesNotContain("<script", "http://", "https://cdn", "<link");
        // features sorted by score: the shifted one first
        assertThat(byAccept.indexOf("<b>chol</b>")).isLessThan(byAccept.indexOf("<b>age</b>"));
        Path page = Path.of("target", "drift-report-sample.html");
        Files.writeString(page, byAccept);
    }

    @Test
    void theListingCarriesEveryFeaturesScoreSoAChartOverTimeNeedsOneCall() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(400, 5), start, Duration.ofSeconds(1), null);
        JsonPath steady = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 400)))
                .statusCode(201).extract().jsonPath();
        fixtures.predictions(version, HeartTraffic.generate(400, 6, "age"), start.plusSeconds(600), Duration.ofSeconds(1), null);
        JsonPath shifted = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 400)))
                .statusCode(201).extract().jsonPath();

        JsonPath listed = given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .queryParam("model_name", version.model())
                .when().get("/api/v1/drift/reports")
                .then().statusCode(200).body("id", equalTo(List.of(shifted.getInt("id"), steady.getInt("id"))))
                .extract().jsonPath();

        for (int i = 0; i < 2; i++) {
            JsonPath full = i == 0 ? shifted : steady;
            Map<String, Float> scores = listed.getMap("[" + i + "].feature_scores");
            assertThat(scores.keySet()).as("report %d's features, in its order", i)
                    .containsExactlyElementsOf(full.getList("features.name", String.class));
            List<Float> fullScores = full.getList("features.score", Float.class);
            assertThat(scores.values()).as("report %d's scores", i).containsExactlyElementsOf(fullScores);
            assertThat(listed.getMap("[" + i + "]")).as("summaries leave the features out").doesNotContainKey("features");
        }
        assertThat(listed.getDouble("[0].feature_scores.age")).as("the shifted feature")
                .isEqualTo(listed.getDouble("[0].drift_score")).isGreaterThan(listed.getDouble("[1].feature_scores.age"));
    }

    @Test
    void aListLimitOutsideOneToTheMostListedIsABadRequestNamingLimit() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(300, 7), start, Duration.ofSeconds(1), null);
        int older = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 300)))
                .statusCode(201).extract().jsonPath().getInt("id");
        int newer = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 300)))
                .statusCode(201).extract().jsonPath().getInt("id");

        listReports(null).statusCode(200).body("id", equalTo(List.of(newer, older)));
        listReports("1").statusCode(200).body("id", equalTo(List.of(newer)));
        listReports("100").statusCode(200).body("id", equalTo(List.of(newer, older)));
        for (String limit : List.of("0", "-3", "101", "abc")) {
            listReports(limit).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("limit")).body("detail", containsString("1 to 100"))
                    .body("detail", not(containsString("Exception")));
        }
    }

    private io.restassured.response.ValidatableResponse listReports(String limit) {
        io.restassured.specification.RequestSpecification request = given().header("X-API-Key", DriftFixtures.ADMIN_KEY)
                .queryParam("project", version.project()).queryParam("model_name", version.model());
        if (limit != null) {
            request = request.queryParam("limit", limit);
        }
        return request.when().get("/api/v1/drift/reports").then();
    }

    @Test
    void aCsvUploadIsTheCurrentData() throws Exception {
        StringBuilder csv = new StringBuilder("age,chol,thalach,cp,fbs,ignored\n");
        for (Map<String, Object> row : HeartTraffic.generate(400, 5, "thalach")) {
            csv.append(row.get("age")).append(',').append(row.get("chol")).append(',').append(row.get("thalach"))
                    .append(',').append(row.get("cp")).append(',').append(row.get("fbs")).append(",x\n");
        }
        JsonPath report = given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .queryParam("model_name", version.model()).contentType("text/csv").body(csv.toString())
                .when().post("/api/v1/drift/reports")
                .then().statusCode(201).body("source", equalTo("csv")).body("current_rows", equalTo(400))
                .extract().jsonPath();
        assertThat(report.getBoolean("features.find { it.name == 'thalach' }.drifted")).isTrue();
        assertThat(report.getBoolean("features.find { it.name == 'chol' }.drifted")).isFalse();
    }

    @Test
    void aCsvWithBooleansAsOneAndZeroIsReadAsTheBaselinesTrueAndFalse() throws Exception {
        String[][] forms = {{"1", "0"}, {"1.0", "0.0"}, {"true", "false"}, {"Yes", "no"}};
        StringBuilder csv = new StringBuilder("age,chol,thalach,cp,fbs\n");
        int i = 0;
        for (Map<String, Object> row : HeartTraffic.generate(800, 10)) {
            String[] form = forms[i++ % forms.length];
            csv.append(row.get("age")).append(',').append(row.get("chol")).append(',').append(row.get("thalach"))
                    .append(',').append(row.get("cp")).append(',').append((Boolean) row.get("fbs") ? form[0] : form[1])
                    .append('\n');
        }
        JsonPath report = uploadCsv(csv.toString(), Map.of()).statusCode(201).extract().jsonPath();

        assertThat(report.getList("features.find { it.name == 'fbs' }.histogram.label", String.class))
                .containsExactly("false", "true");
        assertThat(report.getBoolean("features.find { it.name == 'fbs' }.drifted")).isFalse();
        assertThat(report.getString("severity")).isEqualTo("none");
    }

    @Test
    void aCsvThatIsNotUtf8IsRefusedAsTrainingAndTheRegistryRefuseIt() throws Exception {
        // "café" in Latin-1: training and the registry answer 422; read with replacement characters it was a report
        byte[] latin1 = "age,chol,thalach,cp,fbs\n54,246,150,caf\u00e9,1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .queryParam("model_name", version.model()).contentType("text/csv").body(latin1)
                .when().post("/api/v1/drift/reports")
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("csv"))
                .body("detail", containsString("not UTF-8"));
        assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE model_name = ?", version.model())).isZero();
    }

    @Test
    void theCsvVariantTakesTheMethodsAsQueryParameters() throws Exception {
        StringBuilder csv = new StringBuilder("age,chol,thalach,cp,fbs\n");
        for (Map<String, Object> row : HeartTraffic.generate(200, 8)) {
            csv.append(row.get("age")).append(',').append(row.get("chol")).append(',').append(row.get("thalach"))
                    .append(',').append(row.get("cp")).append(',').append(row.get("fbs")).append('\n');
        }
        JsonPath report = uploadCsv(csv.toString(), Map.of("numerical_method", "psi", "categorical_method", "chisquare"))
                .statusCode(201).extract().jsonPath();
        assertThat(report.getList("features.method", String.class))
                .containsExactly("psi", "psi", "psi", "chisquare", "chisquare");

        uploadCsv(csv.toString(), Map.of("numerical_method", "magic")).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("numerical_method"));
    }

    private io.restassured.response.ValidatableResponse uploadCsv(String csv, Map<String, ?> query) {
        return given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .queryParam("model_name", version.model()).queryParams(query).contentType("text/csv").body(csv)
                .when().post("/api/v1/drift/reports").then();
    }

    @Test
    void methodsAndThresholdsCanBeChosenPerFeature() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(500, 6), start, Duration.ofSeconds(1), null);
        JsonPath report = createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 500),
                "features", Map.of("age", Map.of("method", "ks"), "chol", Map.of("method", "psi", "threshold", 0.0)),
                "categorical_method", "chisquare"))
                .statusCode(201).extract().jsonPath();
        assertThat(report.getString("features.find { it.name == 'age' }.method")).isEqualTo("ks");
        assertThat(report.getDouble("features.find { it.name == 'age' }.p_value")).isBetween(0.0, 1.0);
        assertThat(report.getString("features.find { it.name == 'chol' }.method")).isEqualTo("psi");
        assertThat(report.getBoolean("features.find { it.name == 'chol' }.drifted")).as("threshold 0").isTrue();
        assertThat(report.getString("features.find { it.name == 'cp' }.method")).isEqualTo("chisquare");

        createReport(Map.of("model_name", version.model(), "features", Map.of("cp", Map.of("method", "ks"))))
                .statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("features.cp"));
        createReport(Map.of("model_name", version.model(), "numerical_method", "magic"))
                .statusCode(400).body("field", equalTo("numerical_method"));
    }

    @Test
    void aThresholdThatIsNotAFiniteNumberInRangeIsABadRequestNamingIt() throws Exception {
        fixtures.predictions(version, HeartTraffic.generate(300, 11), start, Duration.ofSeconds(1), null);
        String model = version.model();
        // 1e400 reads as infinity, and was stored as the string "Infinity"
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"features\": {\"age\": {\"threshold\": 1e400}}}", "features.age.threshold");
        refused.put("{\"features\": {\"age\": {\"threshold\": 9223372036854775808}}}", "features.age.threshold");
        refused.put("{\"features\": {\"age\": {\"method\": \"psi\", \"threshold\": -0.1}}}", "features.age.threshold");
        refused.put("{\"features\": {\"age\": {\"method\": \"ks\", \"threshold\": 1.5}}}", "features.age.threshold");
        refused.put("{\"features\": {\"cp\": {\"method\": \"jensenshannon\", \"threshold\": 1001}}}", "features.cp.threshold");
        refused.put("{\"features\": {\"age\": null}}", "features.age");
        refused.put("{\"numerical_threshold\": 1e400}", "numerical_threshold");
        refused.put("{\"numerical_method\": \"ks\", \"numerical_threshold\": 2}", "numerical_threshold");
        refused.put("{\"categorical_threshold\": -1e400}", "categorical_threshold");
        refused.put("{\"drift_share\": 1e400}", "drift_share");
        refused.put("{\"model_version\": 1e400}", "model_version");
        refused.forEach((fields, field) -> postReport("{\"model_name\": \"" + model + "\", " + fields.substring(1))
                .statusCode(400).contentType("application/problem+json").body("field", equalTo(field))
                .body("detail", not(containsString("Exception"))));
        // common's JSON mapper says where, not which field, of an integer beyond int
        postReport("{\"model_name\": \"" + model + "\", \"window\": {\"last_n\": 9223372036854775808}}")
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("out of range"));

        // the ends of each range are thresholds
        createReport(Map.of("model_name", model, "window", Map.of("last_n", 300), "features",
                Map.of("age", Map.of("method", "ks", "threshold", 1), "chol", Map.of("method", "psi", "threshold", 1000))))
                .statusCode(201).body("features.find { it.name == 'chol' }.threshold", equalTo(1000.0f));
        assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE model_name = ?", model)).isOne();
    }

    @Test
    void aWindowInstantPostgresqlCannotHoldIsABadRequestNamingIt() {
        // java.time reads them; PostgreSQL answered "timestamp out of range", a 500
        createReport(Map.of("model_name", version.model(),
                "window", Map.of("start", "-999999999-01-01T00:00:00Z", "end", "+999999999-12-31T23:59:59Z")))
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("window.start"))
                .body("detail", containsString("0001-01-01T00:00:00Z"));
        createReport(Map.of("model_name", version.model(),
                "window", Map.of("start", "2026-01-01T00:00:00Z", "end", "+999999999-12-31T23:59:59Z")))
                .statusCode(400).body("field", equalTo("window.end"));
        createReport(Map.of("model_name", version.model(),
                "window", Map.of("last_n", 10, "end", "+10000-01-01T00:00:00Z")))
                .statusCode(400).body("field", equalTo("window.end"));
        // the edges of the years 0001 to 9999 are a window (an empty one here)
        createReport(Map.of("model_name", version.model(),
                "window", Map.of("start", "0001-01-01T00:00:00Z", "end", "9999-12-31T23:59:59Z")))
                .statusCode(422).body("field", equalTo("window"));
    }

    @Test
    void unknownModelsAndEmptyWindowsAreProblems() {
        createReport(Map.of("model_name", "no-such-model")).statusCode(404).contentType("application/problem+json");
        createReport(Map.of("model_name", version.model(), "window", Map.of("last_n", 10)))
                .statusCode(422).body("field", equalTo("window"));
        createReport(Map.of("window", Map.of("last_n", 10))).statusCode(400).body("field", equalTo("model_name"));
    }

    @Test
    void reportsNeedAnApiKeyAndAWriteRoleToCreate() {
        given().contentType("application/json").body(Map.of("model_name", version.model()))
                .when().post("/api/v1/drift/reports")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().when().get("/api/v1/drift/reports").then().statusCode(401);
    }

    private io.restassured.response.ValidatableResponse postReport(String body) {
        return given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .contentType("application/json").body(body)
                .when().post("/api/v1/drift/reports")
                .then();
    }

    private io.restassured.response.ValidatableResponse createReport(Map<String, ?> body) {
        return given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .contentType("application/json").body(body)
                .when().post("/api/v1/drift/reports")
                .then();
    }
}
