package dev.keel.drift.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.testing.RestartableDatabaseProfile;
import dev.keel.common.testing.TestProjects;
import dev.keel.drift.DriftFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * /monitor/predict through a crash of the database ({@code pg_ctl stop -m immediate}): a model it
 * resolved before answers from memory (its production version and baseline), one it never resolved
 * is a 503, and the alert its drifted window raises meanwhile is kept and stored once the database is
 * back, without a further call.
 */
@QuarkusTest
@TestProfile(RestartableDatabaseProfile.class)
class MonitorOutageTest {

    private static final Map<String, Object> RED = Map.of("colour", "red", "size", 10);

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "keel.drift.monitor.min-observations")
    int minObservations;

    @Test
    void aResolvedModelIsAnsweredThroughAnOutageAndItsAlertIsStoredWhenTheDatabaseReturns() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version v = fixtures.modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        DriftFixtures.Version cold = fixtures.modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        String writeKey = TestProjects.keysFor(dataSource, v.projectId(), v.project()).writeKey();
        String coldKey = TestProjects.keysFor(dataSource, cold.projectId(), cold.project()).writeKey();
        // both keys verified, one model resolved (its production version, by the bare name), before the crash
        MonitorCalls.predict(writeKey, v.model(), RED, null).statusCode(200).body("severity", equalTo("none"));
        MonitorCalls.predict(coldKey, cold.model() + ":7", RED, null).statusCode(422);

        RestartableDatabaseProfile.server().crash();
        try {
            for (int i = 2; i < minObservations; i++) {
                MonitorCalls.predict(writeKey, v.model(), RED, null).statusCode(200);
            }
            MonitorCalls.predict(writeKey, v.model(), RED, null).statusCode(200)
                    .body("severity", equalTo("warning")).body("drift_detected", equalTo(true))
                    .body("drift_score", closeTo(MonitorCalls.ALL_RED, 1e-6));
            MonitorCalls.predict(coldKey, cold.model(), RED, null).statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "5");
            assertThat(metric("keel_drift_monitor_alerts_pending")).as("the alert is kept, and counted").isEqualTo(1.0);
            assertThat(metric("keel_drift_monitor_outage_answers_total")).isGreaterThanOrEqualTo(minObservations - 1);
        } finally {
            RestartableDatabaseProfile.server().startAgain();
        }

        JsonNode alert = awaitAlert(v);
        assertThat(alert.path("kind").asText()).isEqualTo("data_drift");
        assertThat(alert.path("severity").asText()).isEqualTo("warning");
        assertThat(alert.path("occurrences").asInt()).isOne();
        assertThat(alert.path("evidence").path("trigger").asText()).isEqualTo("monitor");
        assertThat(alert.path("evidence").path("window_size").asInt()).isEqualTo(minObservations);
        assertThat(alert.path("evidence").path("drift_score").asDouble()).isCloseTo(MonitorCalls.ALL_RED, within(1e-6));
        Thread.sleep(2500);
        assertThat(metric("keel_drift_monitor_alerts_pending")).isZero();
        assertThat(fixtures.count("SELECT sum(occurrences) FROM alerts WHERE project_id = ?", v.projectId()))
                .as("stored once, not again by a later retry").isOne();

        MonitorCalls.predict(coldKey, cold.model(), RED, null).statusCode(200);
    }

    /** The model's alert once the retry has stored it (it runs every second in tests). */
    private JsonNode awaitAlert(DriftFixtures.Version v) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT json_build_object('kind', kind, 'severity', severity, 'occurrences', occurrences, "
                            + "'evidence', evidence)::text FROM alerts WHERE project_id = ? AND model_name = ?")) {
                ps.setLong(1, v.projectId());
                ps.setString(2, v.model());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return json.readTree(rs.getString(1));
                    }
                }
            } catch (java.sql.SQLException e) {
                // the server is still starting
            }
            assertThat(System.nanoTime()).as("the kept alert is stored within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static double metric(String name) {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
