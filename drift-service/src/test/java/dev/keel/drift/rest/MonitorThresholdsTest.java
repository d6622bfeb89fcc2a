package dev.keel.drift.rest;

import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.DriftFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Both severity thresholds come from the seed's environment variables: with
 * DRIFT_WARNING_THRESHOLD=0.1 and DRIFT_CRITICAL_THRESHOLD=0.4, a score of 0.145 is a warning
 * (none by default) and 0.4645 is critical (a warning by default).
 */
@QuarkusTest
@TestProfile(MonitorThresholdsTest.SeedEnvironment.class)
class MonitorThresholdsTest {

    public static class SeedEnvironment implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DRIFT_WARNING_THRESHOLD", "0.1", "DRIFT_CRITICAL_THRESHOLD", "0.4");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void theWarningThresholdIsReadFromTheEnvironment() throws Exception {
        DriftFixtures.Version v = new DriftFixtures(dataSource, json)
                .modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        // 7 red, 3 blue: JS([0.5, 0.5], [0.7, 0.3]) = 0.144934
        for (int i = 0; i < 9; i++) {
            MonitorCalls.predict(v.monitorName(), Map.of("colour", i < 7 ? "red" : "blue", "size", 10), null);
        }
        MonitorCalls.predict(v.monitorName(), Map.of("colour", "blue", "size", 10), null)
                .statusCode(200)
                .body("drift_score", closeTo(0.144934, 1e-6))
                .body("severity", equalTo("warning"))
                .body("drift_detected", equalTo(true));
    }

    @Test
    void theCriticalThresholdIsReadFromTheEnvironment() throws Exception {
        DriftFixtures.Version v = new DriftFixtures(dataSource, json)
                .modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        for (int i = 0; i < 9; i++) {
            MonitorCalls.predict(v.monitorName(), Map.of("colour", "red", "size", 10), null);
        }
        MonitorCalls.predict(v.monitorName(), Map.of("colour", "red", "size", 10), null)
                .statusCode(200)
                .body("drift_score", closeTo(MonitorCalls.ALL_RED, 1e-6))
                .body("severity", equalTo("critical"));
    }
}
