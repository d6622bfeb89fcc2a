package dev.keel.drift.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.jobs.JobLeases;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScheduledPerformanceJobTest {

    /** Cron firings only move forward: each call the next second after the last. */
    private static Instant lastFiring = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static synchronized Instant nextFiring() {
        lastFiring = lastFiring.plusSeconds(1);
        return lastFiring;
    }

    /** A firing a second ago, whose next firings come after it (what is stored from now on was computed after it). */
    private static synchronized Instant firingJustPast() {
        Instant firing = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        if (firing.isAfter(lastFiring)) {
            lastFiring = firing;
        }
        return firing;
    }

    private static final String RECORDED = "{\"f1\": 0.9, \"accuracy\": 0.9}";

    @Inject
    ScheduledPerformanceJob job;

    @Inject
    JobLeases leases;

    @Inject
    PerformanceService performance;

    @Inject
    ModelVersionRepository versions;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void aDropBelowTheRecordedTestMetricsRaisesOneAlertAndARepeatBumpsIt() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version degraded = fixtures.modelVersion("production", null, RECORDED);
        DriftFixtures.Version fewLabels = fixtures.modelVersion("production", null, RECORDED);
        DriftFixtures.Version healthy = fixtures.modelVersion("production", null, RECORDED);
        DriftFixtures.Version staging = fixtures.modelVersion("staging", null, RECORDED);
        Instant now = Instant.now();
        // accuracy 0.6 over 60 labels, far below 0.9; the same quality over 20 labels only; accuracy 0.95 over 60
        labelled(fixtures, degraded, now, 60, 0.6);
        labelled(fixtures, fewLabels, now, 20, 0.6);
        labelled(fixtures, healthy, now, 60, 0.95);
        labelled(fixtures, staging, now, 60, 0.6);

        List<ScheduledPerformanceJob.Degradation> raised = job.runFiring(nextFiring(), now);

        assertThat(raised).extracting(d -> d.version().modelName()).contains(degraded.model())
                .doesNotContain(fewLabels.model(), healthy.model(), staging.model());
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND model_name = ? "
                + "AND kind = 'performance_degradation' AND status = 'active' AND occurrences = 1 "
                + "AND severity = 'critical' AND source = 'drift-service' AND (evidence->>'labelled')::int = 60",
                degraded.projectId(), degraded.model())).isOne();
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND kind = 'performance_degradation' "
                + "AND abs((evidence->>'accuracy')::float8 - 0.6) < 1e-9 AND (evidence->>'reference_accuracy')::float8 = 0.9",
                degraded.projectId())).as("the evidence carries the numbers the agent's rule reads").isOne();
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id IN (?, ?, ?)",
                fewLabels.projectId(), healthy.projectId(), staging.projectId())).as("too few labels, healthy, staging")
                .isZero();
        assertThat(fixtures.count("SELECT count(*) FROM performance_metrics WHERE project_id = ? AND kind = 'realized' "
                + "AND labelled_count > 0", healthy.projectId())).as("every production version is measured")
                .isPositive();
        assertThat(fixtures.count("SELECT count(*) FROM performance_metrics WHERE project_id = ?",
                staging.projectId())).as("only production versions are scheduled").isZero();

        job.runFiring(nextFiring(), now);

        assertThat(fixtures.count("SELECT max(occurrences) FROM alerts WHERE project_id = ? "
                + "AND kind = 'performance_degradation'", degraded.projectId())).as("a repeat bumps the open alert")
                .isEqualTo(2);
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", degraded.projectId())).isOne();
    }

    @Test
    void multiClassAccuracyAndRegressionRmseAreCheckedAgainstTheirRecordedFigures() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        Instant now = Instant.now();
        // three classes, 60 labelled, 36 right (0.6 against 0.9 recorded); as a binary classifier read as
        // "class 1 or not" the same rows would score 0.87 and hide the drop
        DriftFixtures.Version multi = fixtures.modelVersion("production", null, "{\"accuracy\": 0.9}", "multi:softprob");
        DriftFixtures.Version multiHealthy = fixtures.modelVersion("production", null, "{\"accuracy\": 0.6}",
                "multi:softprob");
        for (DriftFixtures.Version v : List.of(multi, multiHealthy)) {
            double[] predicted = new double[60];
            double[] labels = new double[60];
            for (int i = 0; i < 60; i++) {
                predicted[i] = i % 3;
                labels[i] = i < 36 ? predicted[i] : (predicted[i] == 1 ? 2 : predicted[i] == 0 ? 2 : 0);
            }
            logged(fixtures, v, now, predicted, labels);
        }
        // regression: every error ±1.5, RMSE 1.5 against 1.0 recorded (50 % worse, 20 % allowed); and 1.1 against 1.0
        DriftFixtures.Version worse = fixtures.modelVersion("production", null, "{\"rmse\": 1.0}", "reg:squarederror");
        DriftFixtures.Version near = fixtures.modelVersion("production", null, "{\"rmse\": 1.0}", "reg:squarederror");
        regression(fixtures, worse, now, 1.5);
        regression(fixtures, near, now, 1.1);
        DriftFixtures.Version margins = fixtures.modelVersion("production", null, "{\"accuracy\": 0.9}", "binary:logitraw");
        labelled(fixtures, margins, now, 60, 0.1);

        List<ScheduledPerformanceJob.Degradation> raised = job.runFiring(nextFiring(), now);

        assertThat(raised).filteredOn(d -> d.version().modelName().equals(multi.model())).singleElement()
                .satisfies(d -> {
                    assertThat(d.metric()).isEqualTo("accuracy");
                    assertThat(d.realized()).isCloseTo(0.6, within(1e-9));
                });
        assertThat(raised).filteredOn(d -> d.version().modelName().equals(worse.model())).singleElement()
                .satisfies(d -> {
                    assertThat(d.metric()).isEqualTo("rmse");
                    assertThat(d.realized()).isCloseTo(1.5, within(1e-9));
                });
        assertThat(raised).extracting(d -> d.version().modelName())
                .doesNotContain(multiHealthy.model(), near.model(), margins.model());
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND kind = 'performance_degradation' "
                + "AND severity = 'critical' AND evidence->>'task' = 'regression' AND (evidence->>'rise')::float8 > 0.49 "
                + "AND (evidence->>'allowed_rise')::float8 = 0.2", worse.projectId())).as("0.5 is over twice 0.2").isOne();
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND evidence->>'task' = 'multiclass' "
                + "AND abs((evidence->>'accuracy')::float8 - 0.6) < 1e-9 AND evidence->>'f1' IS NULL",
                multi.projectId())).isOne();
        assertThat(fixtures.count("SELECT count(*) FROM performance_metrics WHERE project_id = ?", margins.projectId()))
                .as("raw margins are not scored").isZero();
    }

    @Test
    void aVersionsQualityGaugesLeaveTheMetricsOnceItIsNoLongerProductionAndARoundRuns() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version rolledBack = fixtures.modelVersion("production", null, RECORDED);
        DriftFixtures.Version serving = fixtures.modelVersion("production", null, RECORDED);
        Instant now = Instant.now();
        labelled(fixtures, rolledBack, now, 60, 0.6);
        labelled(fixtures, serving, now, 60, 0.95);
        job.runFiring(nextFiring(), now);
        assertThat(performanceSeriesOf(rolledBack)).as("a production version's gauges")
                .anyMatch(l -> l.contains("metric=\"f1\"") && l.contains("kind=\"realized\""));

        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE model_versions SET stage = 'archived' WHERE id = ?")) {
            ps.setLong(1, rolledBack.versionId());
            assertThat(ps.executeUpdate()).isOne();
        }
        job.runFiring(nextFiring(), now);

        assertThat(performanceSeriesOf(rolledBack)).as("KeelModelQualityLow has nothing left to fire on").isEmpty();
        assertThat(performanceSeriesOf(serving)).as("the version still in production keeps its gauges")
                .anyMatch(l -> l.contains("metric=\"f1\"") && l.contains("kind=\"realized\""))
                .anyMatch(l -> l.contains("metric=\"mean_probability\""));
    }

    @Test
    void aRoundLeftByADeadReplicaIsTakenOverAndComputesEachMissingWindowOnce() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version computed = fixtures.modelVersion("production", null, RECORDED);
        DriftFixtures.Version computedAndRaised = fixtures.modelVersion("production", null, RECORDED);
        DriftFixtures.Version missed = fixtures.modelVersion("production", null, RECORDED);
        DriftFixtures.Version missedHealthy = fixtures.modelVersion("production", null, RECORDED);
        List<DriftFixtures.Version> all = List.of(computed, computedAndRaised, missed, missedHealthy);
        Instant now = Instant.now();
        labelled(fixtures, computed, now, 60, 0.6);
        labelled(fixtures, computedAndRaised, now, 60, 0.6);
        labelled(fixtures, missed, now, 60, 0.6);
        labelled(fixtures, missedHealthy, now, 60, 0.95);
        Instant firing = firingJustPast();
        Instant from = firing.minus(Duration.ofHours(24));

        // what a replica that died in the round of this firing leaves: its claim, no longer renewed, the last
        // completed firing an earlier one, one model computed but its degradation not raised, one computed and
        // raised (the others not reached)
        fixtures.lease("performance-metrics", "drift-service-dead", Instant.now().minusSeconds(1), firing);
        fixtures.lease(ScheduledPerformanceJob.COMPLETED, "drift-service-dead", Instant.now().minusSeconds(3600),
                firing.minusSeconds(3600));
        performance.compute(ref(computed), from, firing);
        PerformanceService.Computation run = performance.compute(ref(computedAndRaised), from, firing);
        assertThat(job.check(ref(computedAndRaised), run.from(), run.to())).isPresent();
        Map<DriftFixtures.Version, Long> before = computedAt(fixtures, all);

        List<ScheduledPerformanceJob.Degradation> taken = job.takeOverUnfinished();

        assertThat(taken).extracting(d -> d.version().modelName()).contains(computed.model(), missed.model())
                .doesNotContain(computedAndRaised.model(), missedHealthy.model());
        Map<DriftFixtures.Version, Long> after = computedAt(fixtures, all);
        assertThat(after.get(computed)).as("a window the dead round computed is not computed again")
                .isEqualTo(before.get(computed));
        assertThat(after.get(computedAndRaised)).isEqualTo(before.get(computedAndRaised));
        for (DriftFixtures.Version v : List.of(missed, missedHealthy)) {
            assertThat(before.get(v)).as("%s not reached by the dead round", v.model()).isZero();
            assertThat(fixtures.count("SELECT count(*) FROM performance_metrics WHERE project_id = ? AND kind = 'realized' "
                    + "AND labelled_count > 0 AND bucket_start >= ? AND bucket_start < ?", v.projectId(),
                    Timestamp.from(performance.alignDown(from)), Timestamp.from(performance.alignUp(firing))))
                    .as("the firing's window of %s, computed", v.model()).isPositive();
        }
        for (DriftFixtures.Version v : List.of(computed, computedAndRaised, missed)) {
            assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ? AND kind = 'performance_degradation' "
                    + "AND occurrences = 1 AND evidence->>'window_end' = ?", v.projectId(),
                    performance.alignUp(firing).toString())).as("the degradation of %s, raised once", v.model()).isOne();
        }
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", missedHealthy.projectId())).isZero();

        assertThat(job.takeOverUnfinished()).as("a finished round is not taken over again").isEmpty();
        assertThat(computedAt(fixtures, all)).as("nothing computed again").isEqualTo(after);
        assertThat(fixtures.count("SELECT sum(occurrences) FROM alerts WHERE project_id IN (?, ?, ?)",
                computed.projectId(), computedAndRaised.projectId(), missed.projectId())).isEqualTo(3);

        // a claim its replica still renews is left alone; the next firing waits for that round, and runs once
        // its claim lapsed (finishing the dead round first), not skipped
        Instant live = nextFiring();
        fixtures.lease("performance-metrics", "drift-service-alive", Instant.now().plusSeconds(60), live);
        assertThat(job.takeOverUnfinished()).isEmpty();
        Instant next = nextFiring();
        CompletableFuture<List<ScheduledPerformanceJob.Degradation>> nextRound =
                CompletableFuture.supplyAsync(() -> job.runFiring(next, now));
        Thread.sleep(2500);
        assertThat(nextRound).as("held by a live claim").isNotDone();
        assertThat(computedAt(fixtures, all)).isEqualTo(after);
        fixtures.lease("performance-metrics", "drift-service-dead", Instant.now().minusSeconds(1), live);
        assertThat(nextRound.get(60, TimeUnit.SECONDS)).as("the next firing once the dead claim lapsed")
                .extracting(d -> d.version().modelName()).contains(missed.model());
        assertThat(leases.lastRun(ScheduledPerformanceJob.COMPLETED)).isEqualTo(Optional.of(next));
    }

    private ModelVersionRef ref(DriftFixtures.Version v) {
        return versions.find(v.projectId(), v.model(), Optional.empty()).orElseThrow();
    }

    /** When each version's buckets were last computed, in microseconds since the epoch (0 when none is stored). */
    private static Map<DriftFixtures.Version, Long> computedAt(DriftFixtures fixtures, List<DriftFixtures.Version> all)
            throws Exception {
        Map<DriftFixtures.Version, Long> at = new HashMap<>();
        for (DriftFixtures.Version v : all) {
            at.put(v, fixtures.count("SELECT coalesce(extract(epoch FROM max(computed_at)) * 1000000, 0)::bigint "
                    + "FROM performance_metrics WHERE project_id = ?", v.projectId()));
        }
        return at;
    }

    /** The keel_model_performance series /q/metrics shows for {@code v}. */
    private static List<String> performanceSeriesOf(DriftFixtures.Version v) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith("keel_model_performance{") && l.contains("project=\"" + v.project() + "\""))
                .toList();
    }

    private static void logged(DriftFixtures fixtures, DriftFixtures.Version v, Instant now, double[] predicted,
                               double[] labels) throws Exception {
        List<UUID> ids = fixtures.predictions(v, Collections.nCopies(predicted.length, Map.of()),
                now.minus(Duration.ofMinutes(50)), Duration.ofSeconds(30), predicted, new Double[predicted.length]);
        fixtures.feedback(v, ids, labels);
    }

    /** 60 regression predictions, each off its label by {@code error} one way or the other. */
    private static void regression(DriftFixtures fixtures, DriftFixtures.Version v, Instant now, double error)
            throws Exception {
        double[] predicted = new double[60];
        double[] labels = new double[60];
        for (int i = 0; i < 60; i++) {
            predicted[i] = 100 + i;
            labels[i] = predicted[i] + (i % 2 == 0 ? error : -error);
        }
        logged(fixtures, v, now, predicted, labels);
    }

    /** {@code n} predictions in the last 50 minutes, all labelled, a share {@code accuracy} of them right. */
    private static void labelled(DriftFixtures fixtures, DriftFixtures.Version v, Instant now, int n, double accuracy)
            throws Exception {
        double[] p = new double[n];
        double[] labels = new double[n];
        int right = (int) Math.round(n * accuracy);
        for (int i = 0; i < n; i++) {
            p[i] = i % 2 == 0 ? 0.8 : 0.2;
            double predicted = p[i] >= 0.5 ? 1 : 0;
            labels[i] = i < right ? predicted : 1 - predicted;
        }
        List<UUID> ids = fixtures.predictions(v, Collections.nCopies(n, Map.of()), now.minus(Duration.ofMinutes(50)),
                Duration.ofSeconds(30), p);
        fixtures.feedback(v, ids, labels);
    }
}
