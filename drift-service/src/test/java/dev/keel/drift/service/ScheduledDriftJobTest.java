package dev.keel.drift.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.jobs.JobLeases;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.DriftFixtures.HeartTraffic;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.repository.PredictionWindow;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    JobLeases leases;

    @Inject
    DriftReportService reports;

    @Inject
    ModelVersionRepository versions;

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

    @Test
    void aRoundLeftByADeadReplicaIsTakenOverAndReportsEachMissingWindowOnce() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version reported = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 31)), "{}");
        DriftFixtures.Version missed = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 32)), "{}");
        DriftFixtures.Version missedSteady = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(2000, 33)), "{}");
        Instant firing = nextFiring();
        Instant start = firing.minus(Duration.ofMinutes(50));
        fixtures.predictions(reported, HeartTraffic.generate(600, 34, "age", "chol", "cp"), start, Duration.ofSeconds(3), null);
        fixtures.predictions(missed, HeartTraffic.generate(600, 35, "age", "chol", "cp"), start, Duration.ofSeconds(3), null);
        fixtures.predictions(missedSteady, HeartTraffic.generate(600, 36), start, Duration.ofSeconds(3), null);

        // what a replica that died in the round of this firing leaves: its claim, no longer renewed, the
        // last completed firing an earlier one, and one model's report stored but its alert not raised
        // (the others not reached)
        fixtures.lease("drift-reports", "drift-service-dead", Instant.now().minusSeconds(1), firing);
        fixtures.lease(ScheduledDriftJob.COMPLETED, "drift-service-dead", Instant.now().minusSeconds(3600), firing.minusSeconds(3600));
        long storedBeforeCrash = reports.fromPredictionLog(versions.find(reported.projectId(), reported.model(), Optional.empty()).orElseThrow(),
                PredictionWindow.range(firing.minus(Duration.ofHours(1)), firing), PolicyResolver.Overrides.NONE,
                "schedule").id();

        List<DriftReport> taken = job.takeOverUnfinished();

        assertThat(taken).extracting(DriftReport::modelName).contains(missed.model(), missedSteady.model())
                .doesNotContain(reported.model());
        for (DriftFixtures.Version v : List.of(reported, missed, missedSteady)) {
            assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE project_id = ? AND trigger = 'schedule' "
                    + "AND window_start = ? AND window_end = ? AND current_rows = 600", v.projectId(),
                    Timestamp.from(firing.minus(Duration.ofHours(1))), Timestamp.from(firing)))
                    .as("the firing's window of %s, reported once", v.model()).isOne();
            assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE project_id = ?", v.projectId())).isOne();
        }
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND kind = 'data_drift' "
                + "AND occurrences = 1 AND (evidence->>'report_id')::bigint = ?", reported.projectId(), storedBeforeCrash))
                .as("the alert the dead round did not raise").isOne();
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND kind = 'data_drift' "
                + "AND occurrences = 1", missed.projectId())).isOne();
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", missedSteady.projectId())).isZero();

        assertThat(job.takeOverUnfinished()).as("a finished round is not taken over again").isEmpty();
        assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE project_id IN (?, ?, ?)",
                reported.projectId(), missed.projectId(), missedSteady.projectId())).isEqualTo(3);
        assertThat(fixtures.count("SELECT sum(occurrences) FROM alerts WHERE project_id IN (?, ?)",
                reported.projectId(), missed.projectId())).isEqualTo(2);

        // a claim its replica still renews is left alone; the next firing waits for that round, and runs once
        // its claim lapsed (finishing the dead round first), not skipped
        Instant live = nextFiring();
        fixtures.lease("drift-reports", "drift-service-alive", Instant.now().plusSeconds(60), live);
        assertThat(job.takeOverUnfinished()).isEmpty();
        Instant next = nextFiring();
        CompletableFuture<List<DriftReport>> nextRound = CompletableFuture.supplyAsync(() -> job.runFiring(next, Instant.now()));
        Thread.sleep(2500);
        assertThat(nextRound).as("held by a live claim").isNotDone();
        fixtures.lease("drift-reports", "drift-service-dead", Instant.now().minusSeconds(1), live);
        assertThat(nextRound.get(60, TimeUnit.SECONDS)).as("the next firing once the dead claim lapsed")
                .extracting(DriftReport::modelName).contains(missed.model());
        assertThat(leases.lastRun(ScheduledDriftJob.COMPLETED)).isEqualTo(Optional.of(next));
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
