package dev.keel.drift.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.DriftFixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScheduledPerformanceJobTest {

    private static final String RECORDED = "{\"f1\": 0.9, \"accuracy\": 0.9}";

    @Inject
    ScheduledPerformanceJob job;

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

        List<ScheduledPerformanceJob.Degradation> raised = job.runOnce(now);

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

        job.runOnce(now);

        assertThat(fixtures.count("SELECT max(occurrences) FROM alerts WHERE project_id = ? "
                + "AND kind = 'performance_degradation'", degraded.projectId())).as("a repeat bumps the open alert")
                .isEqualTo(2);
        assertThat(fixtures.count("SELECT count(*) FROM alerts WHERE project_id = ?", degraded.projectId())).isOne();
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
