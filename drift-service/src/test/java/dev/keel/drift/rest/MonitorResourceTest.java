package dev.keel.drift.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.testing.TestProjects;
import dev.keel.drift.DriftFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's /monitor contract, field by field, against {@link MonitorCalls#colourBaseline()}:
 * a window of only "red" is at Jensen–Shannon distance 0.4645 from it.
 */
@QuarkusTest
class MonitorResourceTest {

    static final double ALL_RED = MonitorCalls.ALL_RED;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "keel.drift.monitor.min-observations")
    int minObservations;

    DriftFixtures.Version version;
    TestProjects.Project owner;

    static BaselineStatistics colourBaseline() {
        return MonitorCalls.colourBaseline();
    }

    @BeforeEach
    void aModelVersionWithABaseline() throws Exception {
        version = new DriftFixtures(dataSource, json).modelVersion("production", colourBaseline(), "{}");
        owner = TestProjects.keysFor(dataSource, version.projectId(), version.project());
    }

    @Test
    void predictAnswersTheSeedsFieldsWithDriftOfTheWindow() {
        for (int i = 0; i < 9; i++) {
            predict(version.monitorName(), Map.of("colour", "red", "size", 10), "2023-05-29T10:30:00Z").statusCode(200);
        }
        predict(version.monitorName(), Map.of("colour", "red", "size", 10), "2023-05-29T10:30:00Z")
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("drift_detected", equalTo(true))
                .body("drift_score", closeTo(ALL_RED, 1e-6))
                .body("severity", equalTo("warning"))
                .body("feature_scores.colour", closeTo(ALL_RED, 1e-6))
                .body("feature_scores.size", closeTo(0.0, 1e-9))
                .body("timestamp", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"))
                .body("size()", equalTo(5));
    }

    @Test
    void aWindowLikeTheBaselineHasNoDrift() {
        ValidatableResponse last = null;
        for (int i = 0; i < 10; i++) {
            last = predict(version.monitorName(), Map.of("colour", i % 2 == 0 ? "red" : "blue", "size", 10), null);
        }
        last.statusCode(200).body("drift_detected", equalTo(false)).body("severity", equalTo("none"))
                .body("drift_score", closeTo(0.0, 1e-9));
    }

    @Test
    void aBooleanFeatureSentAsOneAndZeroIsReadAsTheBaselinesTrueAndFalse() throws Exception {
        // clients send booleans as 0/1 (inference takes them so); the baseline counted "true"/"false"
        DriftFixtures.Version flags = new DriftFixtures(dataSource, json).modelVersion("production",
                MonitorCalls.flagBaseline(), "{}");
        String reader = TestProjects.keysFor(dataSource, flags.projectId(), flags.project()).readKey();
        List<Object> trues = List.of(1, 1.0, true, "true");
        List<Object> falses = List.of(0, 0.0, false, "false");
        ValidatableResponse last = null;
        for (int i = 0; i < 4 * minObservations; i++) {
            Object flag = (i % 2 == 0 ? trues : falses).get(i / 2 % 4);
            last = MonitorCalls.predict(reader, flags.monitorName(), Map.of("flag", flag, "size", 10), null).statusCode(200);
        }
        last.body("severity", equalTo("none")).body("drift_detected", equalTo(false))
                .body("feature_scores.flag", closeTo(0.0, 1e-9)).body("drift_score", closeTo(0.0, 1e-9));
    }

    @Test
    void aShiftInABooleansShareSentAsOneIsStillDrift() throws Exception {
        DriftFixtures.Version flags = new DriftFixtures(dataSource, json).modelVersion("production",
                MonitorCalls.flagBaseline(), "{}");
        String reader = TestProjects.keysFor(dataSource, flags.projectId(), flags.project()).readKey();
        ValidatableResponse last = null;
        for (int i = 0; i < minObservations; i++) {
            last = MonitorCalls.predict(reader, flags.monitorName(), Map.of("flag", 1, "size", 10), null).statusCode(200);
        }
        // only "true" against half and half: the same distance as only red against red and blue
        last.body("severity", equalTo("warning")).body("feature_scores.flag", closeTo(ALL_RED, 1e-6));
    }

    @Test
    void anInfiniteFeatureIsRefusedNamingItAsInferenceRefusesIt() {
        String tooLarge = "1" + "0".repeat(400);
        for (String value : List.of("1e400", "-1e400", tooLarge)) {
            given().header("Authorization", "Bearer " + owner.readKey()).contentType("application/json")
                    .body("{\"features\": {\"colour\": \"red\", \"size\": " + value + "}, \"model_version\": \""
                            + version.monitorName() + "\"}")
                    .when().post("/monitor/predict")
                    .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("features.size"))
                    .body("detail", containsString("finite"));
        }
        given().header("Authorization", "Bearer " + owner.readKey()).contentType("application/json")
                .body("{\"features\": {\"colour\": 1e400, \"size\": 10}, \"model_version\": \""
                        + version.monitorName() + "\"}")
                .when().post("/monitor/predict")
                .then().statusCode(422).body("field", equalTo("features.colour"));
    }

    @Test
    void aBareModelNameMeansTheProductionVersionAndTheProjectMayBeLeftOut() {
        predict(version.project() + "/" + version.model(), Map.of("colour", "red", "size", 10), null).statusCode(200);
        predict(version.model() + ":1", Map.of("colour", "red", "size", 10), null).statusCode(200);
        predict(version.model(), Map.of("colour", "red", "size", 10), null).statusCode(200);
    }

    @Test
    void unknownModelVersionsAreRejectedNamingTheField() {
        predict("v1.2.0", Map.of("colour", "red", "size", 10), null)
                .statusCode(422).contentType("application/problem+json").body("field", equalTo("model_version"));
        predict(version.model() + ":7", Map.of("colour", "red", "size", 10), null)
                .statusCode(422).body("field", equalTo("model_version"));
        predict("not a name!", Map.of("colour", "red"), null)
                .statusCode(400).body("field", equalTo("model_version"));
    }

    @Test
    void unknownAndMissingFeaturesAreRejectedNamingTheFeature() {
        predict(version.monitorName(), Map.of("colour", "red", "size", 10, "weight", 3), null)
                .statusCode(422).body("field", equalTo("features.weight"));
        predict(version.monitorName(), Map.of("colour", "red"), null)
                .statusCode(422).body("field", equalTo("features.size"));
        predict(version.monitorName(), Map.of("colour", "red", "size", "big"), null)
                .statusCode(422).body("field", equalTo("features.size"));
    }

    @Test
    void predictNeedsAKeyAndSeesOnlyTheKeysOwnProject() throws Exception {
        Map<String, Object> red = Map.of("colour", "red", "size", 10);
        given().contentType("application/json").body(Map.of("model_version", version.monitorName(), "features", red))
                .when().post("/monitor/predict").then().statusCode(401).contentType("application/problem+json");

        TestProjects.Project other = TestProjects.create(dataSource, "other");
        MonitorCalls.predict(other.readKey(), version.monitorName(), Map.of(), null)
                .statusCode(403).contentType("application/problem+json")
                .body("detail", not(containsString("colour")));
        // a bare name is looked up in the key's own project only: no schema, no project list
        MonitorCalls.predict(other.readKey(), version.model(), Map.of(), null)
                .statusCode(422).body("field", equalTo("model_version"))
                .body("detail", equalTo("Model '" + version.model() + "' of project '" + other.name()
                        + "' has no production version"))
                .body("detail", not(containsString(version.project())));
        // the bootstrap key names the project in model_version, or with the header
        MonitorCalls.predict(version.monitorName(), red, null).statusCode(200);
        given().config(MonitorCalls.DOUBLES).header("Authorization", "Bearer " + DriftFixtures.ADMIN_KEY)
                .header("X-Keel-Project", version.project()).contentType("application/json")
                .body(Map.of("model_version", version.model(), "features", red))
                .when().post("/monitor/predict").then().statusCode(200);
    }

    @Test
    void aBadTimestampIsRejectedNamingTheField() {
        predict(version.monitorName(), Map.of("colour", "red", "size", 10), "yesterday")
                .statusCode(400).body("field", equalTo("timestamp"));
        // read by java.time, but outside what every other service stores
        predict(version.monitorName(), Map.of("colour", "red", "size", 10), "+999999999-12-31T23:59:59Z")
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("timestamp"));
        predict(version.monitorName(), Map.of("colour", "red", "size", 10), "-999999999-01-01T00:00:00")
                .statusCode(400).body("field", equalTo("timestamp"));
        predict(version.monitorName(), Map.of("colour", "red", "size", 10), "9999-12-31T23:59:59Z").statusCode(200);
    }

    @Test
    void aBodyWithoutFeaturesOrWithUnknownFieldsIsABadRequest() {
        given().header("Authorization", "Bearer " + owner.readKey()).contentType("application/json")
                .body(Map.of("model_version", version.monitorName()))
                .when().post("/monitor/predict").then().statusCode(400);
        given().header("Authorization", "Bearer " + owner.readKey()).contentType("application/json")
                .body(Map.of("model_version", version.monitorName(), "features", Map.of(), "extra", 1))
                .when().post("/monitor/predict").then().statusCode(400).body("field", equalTo("extra"));
    }

    @Test
    void healthSaysWhetherBaselineDataIsLoaded() {
        given().when().get("/monitor/health").then().statusCode(200)
                .body("status", equalTo("healthy"))
                .body("baseline_data_loaded", equalTo(true))
                .body("timestamp", matchesPattern("\\d{4}-.*Z"));
    }

    @Test
    void metricsArePrometheusTextWithDriftScoresPerModelAndFeature() {
        for (int i = 0; i < minObservations; i++) {
            predict(version.monitorName(), Map.of("colour", "red", "size", 10), null).statusCode(200);
        }
        String metrics = given().when().get("/monitor/metrics").then().statusCode(200)
                .contentType(startsWith("text/plain")).extract().asString();
        assertThat(metrics)
                .contains("# TYPE keel_drift_score gauge")
                .contains("keel_drift_feature_score{feature=\"colour\",model=\"" + version.model() + "\"")
                .contains("jvm_memory_used_bytes");
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("keel_drift_score{"));
    }

    @Test
    void aWindowTooSmallForASeverityLeavesTheGaugesAlone() {
        for (int i = 1; i < minObservations; i++) {
            predict(version.monitorName(), Map.of("colour", "red", "size", 10), null)
                    .statusCode(200).body("drift_score", closeTo(ALL_RED, 1e-6)).body("severity", equalTo("none"));
        }
        assertThat(driftSeries()).as("%d observations of only red: a score, but no gauge for the alerts to read",
                minObservations - 1).isEmpty();

        predict(version.monitorName(), Map.of("colour", "red", "size", 10), null)
                .statusCode(200).body("severity", equalTo("warning"));

        List<String> series = driftSeries();
        assertThat(series).filteredOn(l -> l.startsWith("keel_drift_score{")).singleElement()
                .satisfies(l -> assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .isCloseTo(ALL_RED, within(1e-6)));
        assertThat(series).anyMatch(l -> l.startsWith("keel_drift_feature_score{") && l.contains("feature=\"colour\""));
    }

    /** This test's version's drift series on /q/metrics. */
    List<String> driftSeries() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("keel_drift_") && l.contains("project=\"" + version.project() + "\""))
                .toList();
    }

    /** As the model's own project, with its read key. */
    ValidatableResponse predict(String modelVersion, Map<String, ?> features, String timestamp) {
        return MonitorCalls.predict(owner.readKey(), modelVersion, features, timestamp);
    }
}
