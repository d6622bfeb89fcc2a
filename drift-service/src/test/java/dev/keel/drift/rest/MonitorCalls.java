package dev.keel.drift.rest;

import static io.restassured.RestAssured.given;

import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.stats.baseline.BaselineStatisticsBuilder;
import dev.keel.common.stats.baseline.FeatureSpec;
import dev.keel.common.stats.baseline.FeatureType;
import dev.keel.drift.DriftFixtures;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the /monitor tests share: a baseline whose scores are known in closed form (one categorical
 * feature seen 1,500 times each as "red" and "blue", one constant numerical feature) and a call.
 */
final class MonitorCalls {

    /** JS distance (natural log) between [0.5, 0.5] and [1, 0]: a window of only "red". */
    static final double ALL_RED = 0.4645014;

    /** Read JSON numbers as doubles, not floats, so scores compare to 1e-6. */
    static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    private MonitorCalls() {
    }

    static BaselineStatistics colourBaseline() {
        BaselineStatisticsBuilder b = new BaselineStatisticsBuilder(List.of(
                new FeatureSpec("colour", FeatureType.CATEGORICAL), new FeatureSpec("size", FeatureType.NUMERIC)));
        for (int i = 0; i < 3000; i++) {
            b.addCategory(0, i % 2 == 0 ? "red" : "blue");
            b.addNumber(1, 10);
            b.endRow();
        }
        return b.build();
    }

    /** One boolean feature, true in half of 3,000 rows (counted "true"/"false"), and the constant "size". */
    static BaselineStatistics flagBaseline() {
        BaselineStatisticsBuilder b = new BaselineStatisticsBuilder(List.of(
                new FeatureSpec("flag", FeatureType.BOOLEAN), new FeatureSpec("size", FeatureType.NUMERIC)));
        for (int i = 0; i < 3000; i++) {
            b.addBoolean(0, i % 2 == 0);
            b.addNumber(1, 10);
            b.endRow();
        }
        return b.build();
    }

    /** With the bootstrap key, which names its project in {@code modelVersion}. */
    static ValidatableResponse predict(String modelVersion, Map<String, ?> features, String timestamp) {
        return predict(DriftFixtures.ADMIN_KEY, modelVersion, features, timestamp);
    }

    static ValidatableResponse predict(String key, String modelVersion, Map<String, ?> features, String timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("features", features);
        body.put("model_version", modelVersion);
        if (timestamp != null) {
            body.put("timestamp", timestamp);
        }
        return given().config(DOUBLES).header("Authorization", "Bearer " + key)
                .contentType("application/json").body(body).when().post("/monitor/predict").then();
    }
}
