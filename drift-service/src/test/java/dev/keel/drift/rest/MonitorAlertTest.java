package dev.keel.drift.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.AgentStub;
import dev.keel.drift.DriftFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A /monitor window that drifts raises the same data_drift alert and agent signal as the scheduled
 * job, once, and not on every further call. Against {@link MonitorCalls#colourBaseline()}: a window
 * of only "red" is a warning (0.4645), one of only "green", a colour the baseline never saw, is
 * critical (√ln 2 = 0.8326). The agent is {@link AgentStub}.
 */
@QuarkusTest
@TestProfile(MonitorAlertTest.WithAgent.class)
class MonitorAlertTest {

    public static class WithAgent implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AgentStub.class));
        }
    }

    private static final Map<String, Object> RED = Map.of("colour", "red", "size", 10);
    private static final Map<String, Object> GREEN = Map.of("colour", "green", "size", 10);

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "keel.drift.monitor.min-observations")
    int minObservations;

    @Test
    void aDriftedWindowRaisesOneAlertAndOneSignalNotOnePerCall() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version v = fixtures.modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        for (int i = 1; i < minObservations; i++) {
            MonitorCalls.predict(v.monitorName(), RED, null).statusCode(200);
        }
        MonitorCalls.predict(v.monitorName(), RED, null).statusCode(200).body("severity", equalTo("warning"));

        List<AgentStub.Signal> signals = awaitSignals(v, 1);
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", v.projectId())).isOne();
        JsonNode alert = alertOf(v);
        assertThat(alert.path("kind").asText()).isEqualTo("data_drift");
        assertThat(alert.path("severity").asText()).isEqualTo("warning");
        assertThat(alert.path("source").asText()).isEqualTo("drift-service");
        assertThat(alert.path("occurrences").asInt()).isOne();
        JsonNode evidence = alert.path("evidence");
        assertThat(evidence.path("trigger").asText()).isEqualTo("monitor");
        assertThat(evidence.path("model_version").asInt()).isEqualTo(v.version());
        assertThat(evidence.path("window_size").asInt()).isEqualTo(minObservations);
        assertThat(evidence.path("drift_score").asDouble()).isCloseTo(MonitorCalls.ALL_RED, within(1e-6));
        assertThat(evidence.path("top_features").findValuesAsText("feature")).as("highest score first")
                .containsExactly("colour", "size");
        assertThat(evidence.path("top_features").path(0).path("score").asDouble())
                .isCloseTo(MonitorCalls.ALL_RED, within(1e-6));
        assertThat(evidence.path("drifted_features").isArray()).isTrue();
        assertThat(alert.path("message").asText()).contains("/monitor", "colour 0.465");

        AgentStub.Signal signal = signals.get(0);
        assertThat(signal.path()).isEqualTo("/api/v1/agent/signals");
        assertThat(signal.body().path("kind").asText()).isEqualTo("data_drift");
        assertThat(signal.body().path("severity").asText()).isEqualTo("warning");
        assertThat(signal.body().path("model_name").asText()).isEqualTo(v.model());
        assertThat(signal.body().path("model_version").asInt()).isEqualTo(v.version());
        assertThat(signal.body().path("alert_id").asLong()).isEqualTo(alert.path("id").asLong());
        assertThat(signal.body().path("evidence").path("trigger").asText()).isEqualTo("monitor");

        for (int i = 0; i < 3; i++) {
            MonitorCalls.predict(v.monitorName(), RED, null).statusCode(200).body("severity", equalTo("warning"));
        }

        assertThat(alertOf(v).path("occurrences").asInt()).as("further drifted calls leave the alert alone").isOne();
        assertNoMoreSignals(v, 1);
    }

    @Test
    void aWindowThatWorsensToCriticalRaisesAgainAtOnce() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version v = fixtures.modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        for (int i = 0; i < minObservations; i++) {
            MonitorCalls.predict(v.monitorName(), RED, null).statusCode(200);
        }
        awaitSignals(v, 1);
        String severity = "warning";
        int greens = 0;
        while (!severity.equals("critical")) {
            assertThat(greens++).as("green drives the window to critical").isLessThan(50);
            severity = MonitorCalls.predict(v.monitorName(), GREEN, null).statusCode(200).extract().path("severity");
        }

        List<AgentStub.Signal> signals = awaitSignals(v, 2);
        assertThat(signals.get(1).body().path("severity").asText()).isEqualTo("critical");
        JsonNode alert = alertOf(v);
        assertThat(alert.path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("occurrences").asInt()).as("the same open row, bumped").isEqualTo(2);
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", v.projectId())).isOne();

        MonitorCalls.predict(v.monitorName(), GREEN, null).statusCode(200).body("severity", equalTo("critical"));
        assertThat(alertOf(v).path("occurrences").asInt()).isEqualTo(2);
        assertNoMoreSignals(v, 2);
    }

    @Test
    void aWindowLikeTheBaselineRaisesNothing() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version v = fixtures.modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        for (int i = 0; i < 2 * minObservations; i++) {
            MonitorCalls.predict(v.monitorName(), Map.of("colour", i % 2 == 0 ? "red" : "blue", "size", 10), null)
                    .statusCode(200).body("severity", equalTo("none"));
        }

        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", v.projectId())).isZero();
        assertNoMoreSignals(v, 0);
    }

    @Test
    void aWindowBelowTheMinimumRaisesNothingUntilItReachesIt() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version v = fixtures.modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        for (int i = 1; i < minObservations; i++) {
            MonitorCalls.predict(v.monitorName(), GREEN, null).statusCode(200).body("severity", equalTo("none"));
        }

        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", v.projectId()))
                .as("%d observations of only green, one short of the minimum", minObservations - 1).isZero();
        assertNoMoreSignals(v, 0);

        MonitorCalls.predict(v.monitorName(), GREEN, null).statusCode(200).body("severity", equalTo("critical"));
        assertThat(awaitSignals(v, 1).get(0).body().path("severity").asText()).isEqualTo("critical");
    }

    @Test
    void aVersionNotInProductionRaisesNothing() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version v = fixtures.modelVersion("staging", MonitorCalls.colourBaseline(), "{}");
        for (int i = 0; i < minObservations; i++) {
            MonitorCalls.predict(v.monitorName(), GREEN, null).statusCode(200);
        }
        MonitorCalls.predict(v.monitorName(), GREEN, null).statusCode(200).body("severity", equalTo("critical"));

        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", v.projectId())).isZero();
        assertNoMoreSignals(v, 0);
    }

    @Test
    void aReadKeysDriftedWindowIsAnsweredButRaisesNothing() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version v = fixtures.modelVersion("production", MonitorCalls.colourBaseline(), "{}");
        String readKey = dev.keel.common.testing.TestProjects.keysFor(dataSource, v.projectId(), v.project()).readKey();
        for (int i = 0; i < minObservations; i++) {
            MonitorCalls.predict(readKey, v.monitorName(), GREEN, null).statusCode(200);
        }
        MonitorCalls.predict(readKey, v.monitorName(), GREEN, null).statusCode(200).body("severity", equalTo("critical"));

        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", v.projectId()))
                .as("an alert starts the agent's remediation, which needs the write role").isZero();
        assertNoMoreSignals(v, 0);
    }

    /** Signals are sent off the request's thread: waits until {@code n} have arrived for v's project. */
    private static List<AgentStub.Signal> awaitSignals(DriftFixtures.Version v, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (AgentStub.signalsFor(v.project()).size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(AgentStub.signalsFor(v.project())).as("signals for %s", v.monitorName()).hasSizeGreaterThanOrEqualTo(n);
        return AgentStub.signalsFor(v.project());
    }

    /**
     * The alert row's count already shows nothing else was raised (a signal follows only a raise);
     * this also waits long enough for a stray asynchronous signal to have arrived.
     */
    private static void assertNoMoreSignals(DriftFixtures.Version v, int expected) throws InterruptedException {
        Thread.sleep(500);
        assertThat(AgentStub.signalsFor(v.project())).hasSize(expected);
    }

    private JsonNode alertOf(DriftFixtures.Version v) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, kind, severity, source, occurrences, message, evidence::text "
                     + "FROM alerts WHERE project_id = ? AND model_name = ? AND status <> 'resolved'")) {
            ps.setLong(1, v.projectId());
            ps.setString(2, v.model());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("an open alert for %s", v.monitorName()).isTrue();
                var node = json.createObjectNode();
                node.put("id", rs.getLong(1));
                node.put("kind", rs.getString(2));
                node.put("severity", rs.getString(3));
                node.put("source", rs.getString(4));
                node.put("occurrences", rs.getInt(5));
                node.put("message", rs.getString(6));
                node.set("evidence", json.readTree(rs.getString(7)));
                assertThat(rs.next()).as("one open alert").isFalse();
                return node;
            }
        }
    }
}
