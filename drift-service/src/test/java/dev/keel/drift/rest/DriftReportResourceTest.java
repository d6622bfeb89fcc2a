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

    private io.restassured.response.ValidatableResponse createReport(Map<String, ?> body) {
        return given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .contentType("application/json").body(body)
                .when().post("/api/v1/drift/reports")
                .then();
    }
}
