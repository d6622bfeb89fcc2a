package dev.keel.drift.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.DriftFixtures.HeartTraffic;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScheduledDriftJobTest {

    /** Cron firings only move forward: each call the next second after the last. */
    private static Instant lastFiring = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static synchronized Instant nextFiring() {
        lastFiring = lastFiring.plusSeconds(1);
        return lastFiring;
    }

    @Inject
    ScheduledDriftJob job;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void theScheduledRunStoresAReportPerProductionModelAndRaisesOneAlertForDrift() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version drifting = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 11)), "{}");
        DriftFixtures.Version steady = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 12)), "{}");
        DriftFixtures.Version staging = fixtures.modelVersion("staging",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 13)), "{}");
        Instant now = Instant.now();
        Instant start = now.minus(Duration.ofMinutes(50));
        fixtures.predictions(drifting, HeartTraffic.generate(600, 14, "age", "chol", "cp"), start, Duration.ofSeconds(3), null);
        fixtures.predictions(steady, HeartTraffic.generate(600, 15), start, Duration.ofSeconds(3), null);
        fixtures.predictions(staging, HeartTraffic.generate(600, 16, "age", "chol", "cp"), start, Duration.ofSeconds(3), null);

        Instant firing = nextFiring();
        List<DriftReport> reports = job.runFiring(firing, now);
        assertThat(job.runFiring(firing, now)).as("the same firing on another replica's timer runs nothing").isEmpty();

        assertThat(reports).extracting(DriftReport::modelName).contains(drifting.model(), steady.model())
                .doesNotContain(staging.model());
        assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE project_id = ? AND trigger = 'schedule' "
                + "AND dataset_drift AND current_rows = 600", drifting.projectId())).isOne();
        assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE project_id = ? AND trigger = 'schedule' "
                + "AND NOT dataset_drift", steady.projectId())).isOne();
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND model_name = ? "
                + "AND kind = 'data_drift' AND status = 'active' AND occurrences = 1 AND source = 'drift-service' "
                + "AND evidence->'drifted_features' @> '[\"age\"]'", drifting.projectId(), drifting.model())).isOne();
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", steady.projectId())).isZero();

        job.runFiring(nextFiring(), now);

        assertThat(fixtures.count("SELECT max(occurrences) FROM alerts WHERE project_id = ? AND kind = 'data_drift'",
                drifting.projectId())).as("a repeat bumps the open alert").isEqualTo(2);
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", drifting.projectId())).isOne();
    }

    @Test
    void aVersionsDriftGaugesLeaveTheMetricsOnceItIsNoLongerProductionAndARoundRuns() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version rolledBack = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 21)), "{}");
        DriftFixtures.Version serving = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 22)), "{}");
        Instant now = Instant.now();
        Instant start = now.minus(Duration.ofMinutes(50));
        fixtures.predictions(rolledBack, HeartTraffic.generate(600, 23, "age", "chol", "cp"), start, Duration.ofSeconds(3), null);
        fixtures.predictions(serving, HeartTraffic.generate(600, 24), start, Duration.ofSeconds(3), null);
        Instant firing = nextFiring();
        job.runFiring(firing, now);
        assertThat(driftSeriesOf(rolledBack)).as("a production version's gauges").anyMatch(l -> l.startsWith("keel_drift_score{"))
                .anyMatch(l -> l.startsWith("keel_drift_feature_score{") && l.contains("feature=\"age\""));

        stage(rolledBack, "archived");
        job.runFiring(firing, now);

        assertThat(driftSeriesOf(rolledBack)).as("gone on a replica that found the firing taken too").isEmpty();
        assertThat(driftSeriesOf(serving)).as("the version still in production keeps its gauges")
                .anyMatch(l -> l.startsWith("keel_drift_score{"))
                .filteredOn(l -> l.startsWith("keel_drift_feature_score{")).hasSize(5);

        job.runFiring(nextFiring(), now);

        assertThat(driftSeriesOf(rolledBack)).as("and not set again by a round").isEmpty();
        assertThat(driftSeriesOf(serving)).anyMatch(l -> l.startsWith("keel_drift_score{"));
    }

    /** The drift series /q/metrics shows for {@code v}. */
    static List<String> driftSeriesOf(DriftFixtures.Version v) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("keel_drift_") && l.contains("project=\"" + v.project() + "\""))
                .toList();
    }

    private void stage(DriftFixtures.Version v, String stage) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE model_versions SET stage = ? WHERE id = ?")) {
            ps.setString(1, stage);
            ps.setLong(2, v.versionId());
            assertThat(ps.executeUpdate()).isOne();
        }
    }
}
