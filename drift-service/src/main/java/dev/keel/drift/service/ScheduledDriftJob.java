package dev.keel.drift.service;

import dev.keel.common.jobs.JobLeases;
import dev.keel.common.problem.ProblemException;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.repository.PredictionLogReader;
import dev.keel.drift.repository.PredictionWindow;
import dev.keel.drift.repository.RepositoryException;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Every production model's drift over the last window, on a schedule: a stored report each, and
 * where the dataset drifted an open data_drift alert (raised or bumped) and a call to the agent.
 * A lease in job_leases keeps replicas from running it twice.
 */
@ApplicationScoped
public class ScheduledDriftJob {

    private static final Logger LOG = Logger.getLogger(ScheduledDriftJob.class);
    private static final String JOB = "drift-reports";

    private final ModelVersionRepository versions;
    private final PredictionLogReader log;
    private final DriftReportService reports;
    private final AlertService alerts;
    private final JobLeases leases;
    private final DriftGauges gauges;
    private final DriftConfig config;
    private final String holder = "drift-service-" + UUID.randomUUID();

    public ScheduledDriftJob(ModelVersionRepository versions, PredictionLogReader log, DriftReportService reports,
                             AlertService alerts, JobLeases leases, DriftGauges gauges, DriftConfig config) {
        this.versions = versions;
        this.log = log;
        this.reports = reports;
        this.alerts = alerts;
        this.leases = leases;
        this.gauges = gauges;
        this.config = config;
    }

    @Scheduled(identity = JOB, cron = "${keel.drift.schedule.cron:0 5 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ScheduleDisabled.class)
    void scheduled(ScheduledExecution execution) {
        runFiring(execution.getScheduledFireTime(), Instant.now());
    }

    /**
     * The round of the cron firing at {@code firing}, claimed once across replicas (their timers
     * fire at the same cron instant, and one that fires after another finished finds the firing
     * taken); empty when another replica has it. Either way this replica then drops the drift gauges
     * of versions no longer in production.
     */
    List<DriftReport> runFiring(Instant firing, Instant end) {
        List<DriftReport> made = leases.runClaimed(JOB, firing.truncatedTo(ChronoUnit.SECONDS), holder,
                        Duration.ofMinutes(30), () -> round(end))
                .orElseGet(() -> {
                    LOG.debugf("Firing %s of %s skipped: another replica runs it", firing, JOB);
                    return List.of();
                });
        retireGauges();
        return made;
    }

    /**
     * Removes the drift gauges of every version that is not in production now (rolled back, archived,
     * or named explicitly on /monitor/predict): nothing refreshes them, and the drift alerts would fire
     * on their last value until a restart. Every replica does it, not only the one that ran the round,
     * since each holds the gauges its own rounds and /monitor calls set; production is read again
     * here so a promotion made during the round is seen.
     */
    private void retireGauges() {
        try {
            int removed = gauges.retainDrift(versions.production());
            if (removed > 0) {
                LOG.infof("Removed %d drift gauge series of versions no longer in production", removed);
            }
        } catch (RepositoryException e) {
            LOG.warnf("Drift gauges of retired versions kept until the next round: %s", e.getMessage());
        }
    }

    /** One round over all production models, ending at {@code end}; answers the reports made. */
    private List<DriftReport> round(Instant end) {
        List<DriftReport> made = new ArrayList<>();
        PredictionWindow window = PredictionWindow.range(end.minus(config.schedule().window()), end);
        for (ModelVersionRef version : versions.production()) {
            if (version.baselineJson() == null) {
                continue;
            }
            try {
                long rows = log.span(version, window).rows();
                if (rows < config.schedule().minRows()) {
                    LOG.debugf("No scheduled report for %s: %d predictions in the window", version.label(), rows);
                    continue;
                }
                DriftReport report = reports.fromPredictionLog(version, window, PolicyResolver.Overrides.NONE, "schedule");
                made.add(report);
                gauges.driftScore(version.projectName(), version.modelName(), version.version(), report.driftScore());
                report.features().forEach(f -> gauges.featureScore(version.projectName(), version.modelName(),
                        version.version(), f.name(), f.score()));
                if (report.datasetDrift()) {
                    raise(version, report);
                }
            } catch (ProblemException | IllegalArgumentException e) {
                LOG.warnf("Scheduled drift report for %s failed: %s", version.label(), e.getMessage());
            }
        }
        return made;
    }

    private void raise(ModelVersionRef version, DriftReport report) {
        List<String> drifted = report.features().stream().filter(FeatureReport::drifted).map(FeatureReport::name).toList();
        Map<String, Object> evidence = new LinkedHashMap<>();
        // /monitor raises into the same open row (trigger "monitor"): this says which path bumped it last
        evidence.put("trigger", "schedule");
        evidence.put("report_id", report.id());
        evidence.put("model_version", version.version());
        evidence.put("drift_share", report.driftShare());
        evidence.put("drift_score", report.driftScore());
        evidence.put("drifted_features", drifted);
        evidence.put("window_start", String.valueOf(report.windowStart()));
        evidence.put("window_end", String.valueOf(report.windowEnd()));
        String severity = report.severity() == Severity.CRITICAL ? "critical" : "warning";
        alerts.raise(version.projectId(), version.modelName(), "data_drift", severity,
                "Data drift in " + version.modelName() + " v" + version.version(),
                String.format(java.util.Locale.ROOT, "%d of %d features drifted (%s) in the last %s; drift score %.3f",
                        report.driftedFeatures(), report.evaluatedFeatures(), String.join(", ", drifted),
                        config.schedule().window(), report.driftScore()), evidence);
    }
}
