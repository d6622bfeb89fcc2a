package dev.keel.drift.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.common.jobs.JobLeases;
import dev.keel.common.model.Objective;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.AlertRepository;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.repository.PerformanceRepository;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Every production model's performance over the lookback window, on a schedule: buckets
 * recomputed (labels arrive late), then the window's realized figures compared with the version's
 * recorded test metrics (F1 and accuracy, accuracy for multi-class, RMSE for regression); a change
 * for the worse beyond the configured amount, over enough labels, raises (or bumps) the open
 * performance_degradation alert and tells the agent, as drift does.
 */
@ApplicationScoped
public class ScheduledPerformanceJob {

    private static final Logger LOG = Logger.getLogger(ScheduledPerformanceJob.class);
    private static final String JOB = "performance-metrics";
    static final String KIND = "performance_degradation";

    private final ModelVersionRepository versions;
    private final PerformanceService performance;
    private final AlertService alerts;
    private final JobLeases leases;
    private final DriftGauges gauges;
    private final DriftConfig config;
    private final String holder = "drift-service-" + UUID.randomUUID();

    public ScheduledPerformanceJob(ModelVersionRepository versions, PerformanceService performance, AlertService alerts,
                                   JobLeases leases, DriftGauges gauges, DriftConfig config) {
        this.versions = versions;
        this.performance = performance;
        this.alerts = alerts;
        this.leases = leases;
        this.gauges = gauges;
        this.config = config;
    }

    /** A degradation found for a version: what was measured against what was recorded. */
    public record Degradation(ModelVersionRef version, String metric, double recorded, double realized, long labelled,
                              long alertId, int occurrences) {
    }

    @Scheduled(identity = JOB, cron = "${keel.drift.performance.cron:0 0/15 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ScheduleDisabled.class)
    void scheduled(ScheduledExecution execution) {
        runFiring(execution.getScheduledFireTime(), Instant.now());
    }

    /**
     * The round of the cron firing at {@code firing}, claimed once across replicas (their timers
     * fire at the same cron instant, and one that fires after another finished finds the firing
     * taken); empty when another replica has it. Either way this replica then drops the performance
     * gauges of versions no longer in production.
     */
    List<Degradation> runFiring(Instant firing, Instant end) {
        List<Degradation> raised = leases.runClaimed(JOB, firing.truncatedTo(ChronoUnit.SECONDS), holder,
                        Duration.ofMinutes(30), () -> round(end))
                .orElseGet(() -> {
                    LOG.debugf("Firing %s of %s skipped: another replica runs it", firing, JOB);
                    return List.of();
                });
        retireGauges();
        return raised;
    }

    /**
     * Removes the performance gauges of every version that is not in production now, on every
     * replica (see {@link ScheduledDriftJob}): nothing refreshes them, and the quality alert would
     * fire on their last value until a restart.
     */
    private void retireGauges() {
        try {
            int removed = gauges.retainPerformance(versions.production());
            if (removed > 0) {
                LOG.infof("Removed %d performance gauge series of versions no longer in production", removed);
            }
        } catch (RepositoryException e) {
            LOG.warnf("Performance gauges of retired versions kept until the next round: %s", e.getMessage());
        }
    }

    /** One round over all production models, the window ending at {@code end}; answers the degradations raised. */
    private List<Degradation> round(Instant end) {
        List<Degradation> raised = new ArrayList<>();
        for (ModelVersionRef version : versions.production()) {
            if (version.task() == Objective.Task.MARGIN) {
                LOG.debugf("No performance metrics for %s: its predictions are raw margins", version.label());
                continue;
            }
            try {
                PerformanceService.Computation run = performance.compute(version,
                        end.minus(config.performance().lookback()), end);
                check(version, run).ifPresent(raised::add);
            } catch (RepositoryException | IllegalArgumentException e) {
                LOG.warnf("Scheduled performance metrics for %s failed: %s", version.label(), e.getMessage());
            }
        }
        return raised;
    }

    /**
     * Compares the window's realized figures with the recorded test metrics and raises on the worst
     * that got worse beyond what is allowed: F1 and accuracy of a binary classifier and accuracy of a
     * multi-class one, by an absolute drop; RMSE of a regression model, by a relative rise.
     */
    Optional<Degradation> check(ModelVersionRef version, PerformanceService.Computation run) {
        PerformanceRepository.Realized realized = performance.realizedTotals(version, run.from(), run.to());
        if (realized.labelled() < config.performance().minLabelled()) {
            LOG.debugf("No degradation check for %s: %d labelled predictions in the window", version.label(),
                    realized.labelled());
            return Optional.empty();
        }
        Map<String, Double> now = new LinkedHashMap<>();
        switch (version.task()) {
            case BINARY -> {
                now.put("f1", realized.confusion().f1());
                now.put("accuracy", realized.confusion().accuracy());
            }
            case MULTICLASS -> now.put("accuracy", realized.accuracy());
            case REGRESSION -> now.put("rmse", realized.rmse());
            default -> {
                return Optional.empty();
            }
        }
        Worse worst = null;
        for (Map.Entry<String, Double> m : now.entrySet()) {
            Double recorded = number(version.metrics().get(m.getKey()));
            if (recorded == null || m.getValue() == null) {
                continue;
            }
            boolean lowerIsBetter = "rmse".equals(m.getKey());
            double change = lowerIsBetter ? m.getValue() - recorded : recorded - m.getValue();
            double allowed = lowerIsBetter ? recorded * config.performance().degradationRise()
                    : config.performance().degradationDrop();
            if (change > allowed && (worst == null || change / allowed > worst.change() / worst.allowed())) {
                worst = new Worse(m.getKey(), recorded, m.getValue(), change, allowed, lowerIsBetter);
            }
        }
        return worst == null ? Optional.empty() : Optional.of(raise(version, worst, run, realized));
    }

    /** A realized metric worse than recorded by {@code change} where {@code allowed} was allowed. */
    private record Worse(String metric, double recorded, double realized, double change, double allowed,
                         boolean lowerIsBetter) {
    }

    private Degradation raise(ModelVersionRef v, Worse w, PerformanceService.Computation run,
                              PerformanceRepository.Realized realized) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("model_version", v.version());
        evidence.put("task", v.task().wireName());
        evidence.put("metric", w.metric());
        evidence.put("recorded", w.recorded());
        evidence.put("realized", w.realized());
        if (w.lowerIsBetter()) {
            evidence.put("rise", w.change());
            evidence.put("allowed_rise", w.allowed());
            evidence.put("rmse", realized.rmse());
            evidence.put("mae", realized.mae());
            evidence.put("reference_rmse", number(v.metrics().get("rmse")));
        } else {
            evidence.put("drop", w.change());
            evidence.put("allowed_drop", w.allowed());
            Double f1 = v.task() == Objective.Task.BINARY ? realized.confusion().f1() : null;
            Double accuracy = v.task() == Objective.Task.BINARY ? realized.confusion().accuracy() : realized.accuracy();
            evidence.put("realized_f1", f1);
            evidence.put("realized_accuracy", accuracy);
            evidence.put("recorded_f1", number(v.metrics().get("f1")));
            evidence.put("recorded_accuracy", number(v.metrics().get("accuracy")));
            // the agent's performance rule reads these names (agent-service README, "Diagnosis"); without them it
            // could not judge the drop itself and would fall back on this alert's severity
            evidence.put("f1", f1);
            evidence.put("accuracy", accuracy);
            evidence.put("reference_f1", number(v.metrics().get("f1")));
            evidence.put("reference_accuracy", number(v.metrics().get("accuracy")));
        }
        evidence.put("labelled", realized.labelled());
        evidence.put("window_start", run.from().toString());
        evidence.put("window_end", run.to().toString());
        String severity = w.change() >= 2 * w.allowed() ? "critical" : "warning";
        AlertRepository.Raised r = alerts.raise(v.projectId(), v.modelName(), KIND, severity,
                "Performance degradation in " + v.modelName() + " v" + v.version(),
                String.format(Locale.ROOT, "Realized %s %.3f over %d labelled predictions in [%s, %s) is %.3f %s "
                                + "the recorded %.3f (allowed %.3f)", w.metric(), w.realized(), realized.labelled(),
                        run.from(), run.to(), w.change(), w.lowerIsBetter() ? "above" : "below", w.recorded(),
                        w.allowed()), evidence);
        return new Degradation(v, w.metric(), w.recorded(), w.realized(), realized.labelled(), r.id(), r.occurrences());
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }
}
