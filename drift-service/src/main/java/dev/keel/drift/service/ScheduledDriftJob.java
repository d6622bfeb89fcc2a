package dev.keel.drift.service;

import dev.keel.common.jobs.JobLeases;
import dev.keel.common.problem.ProblemException;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.AlertRepository;
import dev.keel.drift.repository.DriftReportRepository;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.repository.PredictionLogReader;
import dev.keel.drift.repository.PredictionWindow;
import dev.keel.drift.repository.RepositoryException;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Every production model's drift over the last window, on a schedule: a stored report each, and
 * where the dataset drifted an open data_drift alert (raised or bumped) and a call to the agent.
 * A lease in job_leases keeps replicas from running it twice.
 *
 * <p>The round heals itself when its replica dies: the claim is short ({@code keel.drift.schedule.lease})
 * and renewed by the running replica every heartbeat; a round that finished records its firing in the
 * {@code drift-reports.completed} row ({@link RoundClaim}). Every replica's heartbeat looks for a firing claimed but not completed whose
 * claim nobody renews, takes it over, and finishes it: a report over the firing's window for each
 * model the dead round did not report, and the alert of a drifted report it stored but did not raise.
 */
@ApplicationScoped
public class ScheduledDriftJob {

    private static final Logger LOG = Logger.getLogger(ScheduledDriftJob.class);
    private static final String JOB = "drift-reports";
    /** The job_leases row whose last_run_at is the last firing whose round finished. */
    static final String COMPLETED = RoundClaim.completedRow(JOB);

    private final ModelVersionRepository versions;
    private final PredictionLogReader log;
    private final DriftReportService reports;
    private final DriftReportRepository stored;
    private final AlertService alerts;
    private final AlertRepository alertRows;
    private final DriftGauges gauges;
    private final DriftConfig config;
    private final RoundClaim claim;

    public ScheduledDriftJob(ModelVersionRepository versions, PredictionLogReader log, DriftReportService reports,
                             DriftReportRepository stored, AlertService alerts, AlertRepository alertRows,
                             JobLeases leases, DriftGauges gauges, DriftConfig config) {
        this.versions = versions;
        this.log = log;
        this.reports = reports;
        this.stored = stored;
        this.alerts = alerts;
        this.alertRows = alertRows;
        this.gauges = gauges;
        this.config = config;
        this.claim = new RoundClaim(JOB, leases, () -> config.schedule().lease(), () -> config.schedule().heartbeat());
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
     * taken); empty when another replica has it. While the round of an earlier firing is unfinished
     * (taken over here or elsewhere, or still running on another replica) it waits for that round, finishing
     * it itself once its claim lapses, then claims this firing. Either way this replica then drops the drift gauges
     * of versions no longer in production.
     */
    List<DriftReport> runFiring(Instant firing, Instant end) {
        List<DriftReport> made = claim.runFiring(firing, () -> round(end, null), unfinished -> round(unfinished, unfinished));
        retireGauges();
        return made;
    }

    /**
     * Renews the claim of the round this replica runs, and when it runs none, takes over a round
     * another replica left unfinished. Every replica, every {@code keel.drift.schedule.heartbeat}.
     */
    @Scheduled(identity = JOB + "-heartbeat", every = "${keel.drift.schedule.heartbeat:30S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ScheduleDisabled.class)
    void heartbeat() {
        claim.heartbeat(this::takeOverUnfinished);
    }

    /**
     * The round of the last firing claimed, when it never completed and its claim is no longer renewed
     * (its replica died): finished here, reporting each model its round did not, over the firing's window,
     * and raising the alert of a drifted report it stored but did not raise. Empty when there is none,
     * or its replica still renews it.
     */
    List<DriftReport> takeOverUnfinished() {
        return claim.takeOver(firing -> round(firing, firing));
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

    /**
     * One round over all production models, ending at {@code end}; answers the reports made. Taking
     * over the round of {@code resumed} (else null), a model already reported in it is skipped, its
     * report's alert raised if that never happened.
     */
    private List<DriftReport> round(Instant end, Instant resumed) {
        List<DriftReport> made = new ArrayList<>();
        PredictionWindow window = PredictionWindow.range(end.minus(config.schedule().window()), end);
        for (ModelVersionRef version : versions.production()) {
            if (version.baselineJson() == null) {
                continue;
            }
            if (claim.lost()) {
                LOG.warnf("Round of %s ending %s stopped before %s: its claim was taken", JOB, end, version.label());
                break;
            }
            try {
                if (resumed != null && reportedIn(version, resumed)) {
                    continue;
                }
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

    /**
     * Whether the dead round of {@code firing} reported this version (a scheduled report ending at or
     * after the firing; earlier rounds' end before it); if so and it drifted, raises its alert unless the
     * model's alert was raised or bumped since the report was stored.
     */
    private boolean reportedIn(ModelVersionRef version, Instant firing) {
        Optional<DriftReport> last = stored.lastScheduled(version.projectId(), version.modelName(), version.version())
                .filter(r -> r.windowEnd() != null && !r.windowEnd().isBefore(firing));
        if (last.isEmpty()) {
            return false;
        }
        DriftReport report = last.get();
        if (report.datasetDrift()
                && !alertRows.raisedSince(version.projectId(), version.modelName(), "data_drift", report.createdAt())) {
            LOG.infof("Raising the alert of scheduled report %d for %s, which the round that stored it did not",
                    report.id(), version.label());
            raise(version, report);
        }
        return true;
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
