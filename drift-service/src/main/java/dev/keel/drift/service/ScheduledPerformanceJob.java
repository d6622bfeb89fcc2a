package dev.keel.drift.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.common.jobs.JobLeases;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.AlertRepository;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.repository.PerformanceRepository;
import dev.keel.drift.repository.RepositoryException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
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
 * recomputed (labels arrive late), then the window's realized F1 and accuracy compared with the
 * version's recorded test metrics; a drop beyond the configured amount, over enough labels, raises
 * (or bumps) the open performance_degradation alert and tells the agent, as drift does.
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
    private final DriftConfig config;
    private final String holder = "drift-service-" + UUID.randomUUID();

    public ScheduledPerformanceJob(ModelVersionRepository versions, PerformanceService performance, AlertService alerts,
                                   JobLeases leases, DriftConfig config) {
        this.versions = versions;
        this.performance = performance;
        this.alerts = alerts;
        this.leases = leases;
        this.config = config;
    }

    /** A degradation found for a version: what was measured against what was recorded. */
    public record Degradation(ModelVersionRef version, String metric, double recorded, double realized, long labelled,
                              long alertId, int occurrences) {
    }

    @Scheduled(identity = JOB, cron = "${keel.drift.performance.cron:0 0/15 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ScheduleDisabled.class)
    void scheduled() {
        runOnce(Instant.now());
    }

    /** One round over all production models, the window ending at {@code end}; answers the degradations raised. */
    public List<Degradation> runOnce(Instant end) {
        if (!leases.acquire(JOB, holder, Duration.ofMinutes(30))) {
            LOG.debugf("Scheduled performance metrics skipped: another replica holds the lease");
            return List.of();
        }
        List<Degradation> raised = new ArrayList<>();
        try {
            for (ModelVersionRef version : versions.production()) {
                try {
                    PerformanceService.Computation run = performance.compute(version,
                            end.minus(config.performance().lookback()), end);
                    check(version, run).ifPresent(raised::add);
                } catch (RepositoryException | IllegalArgumentException e) {
                    LOG.warnf("Scheduled performance metrics for %s failed: %s", version.label(), e.getMessage());
                }
            }
        } finally {
            leases.release(JOB, holder);
        }
        return raised;
    }

    /** Compares the window's realized F1 and accuracy with the recorded test metrics; raises on a drop. */
    Optional<Degradation> check(ModelVersionRef version, PerformanceService.Computation run) {
        PerformanceRepository.Realized realized = performance.realizedTotals(version, run.from(), run.to());
        if (realized.labelled() < config.performance().minLabelled()) {
            LOG.debugf("No degradation check for %s: %d labelled predictions in the window", version.label(),
                    realized.labelled());
            return Optional.empty();
        }
        double allowed = config.performance().degradationDrop();
        Degradation worst = null;
        double worstDrop = 0;
        for (String metric : List.of("f1", "accuracy")) {
            JsonNode recorded = version.metrics().get(metric);
            Double now = "f1".equals(metric) ? realized.confusion().f1() : realized.confusion().accuracy();
            if (recorded == null || !recorded.isNumber() || now == null) {
                continue;
            }
            double drop = recorded.asDouble() - now;
            if (drop > allowed && drop > worstDrop) {
                worstDrop = drop;
                worst = new Degradation(version, metric, recorded.asDouble(), now, realized.labelled(), 0, 0);
            }
        }
        if (worst == null) {
            return Optional.empty();
        }
        return Optional.of(raise(worst, run, worstDrop, realized));
    }

    private Degradation raise(Degradation d, PerformanceService.Computation run, double drop,
                              PerformanceRepository.Realized realized) {
        ModelVersionRef v = d.version();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("model_version", v.version());
        evidence.put("metric", d.metric());
        evidence.put("recorded", d.recorded());
        evidence.put("realized", d.realized());
        evidence.put("drop", drop);
        evidence.put("allowed_drop", config.performance().degradationDrop());
        evidence.put("realized_f1", realized.confusion().f1());
        evidence.put("realized_accuracy", realized.confusion().accuracy());
        evidence.put("recorded_f1", number(v.metrics().get("f1")));
        evidence.put("recorded_accuracy", number(v.metrics().get("accuracy")));
        // the agent's performance rule reads these names (agent-service README, "Diagnosis"); without them it
        // could not judge the drop itself and would fall back on this alert's severity
        evidence.put("f1", realized.confusion().f1());
        evidence.put("accuracy", realized.confusion().accuracy());
        evidence.put("reference_f1", number(v.metrics().get("f1")));
        evidence.put("reference_accuracy", number(v.metrics().get("accuracy")));
        evidence.put("labelled", realized.labelled());
        evidence.put("window_start", run.from().toString());
        evidence.put("window_end", run.to().toString());
        String severity = drop >= 2 * config.performance().degradationDrop() ? "critical" : "warning";
        AlertRepository.Raised r = alerts.raise(v.projectId(), v.modelName(), KIND, severity,
                "Performance degradation in " + v.modelName() + " v" + v.version(),
                String.format(Locale.ROOT, "Realized %s %.3f over %d labelled predictions in [%s, %s) is %.3f below "
                                + "the recorded %.3f (allowed drop %.3f)", d.metric(), d.realized(), realized.labelled(),
                        run.from(), run.to(), drop, d.recorded(), config.performance().degradationDrop()), evidence);
        return new Degradation(v, d.metric(), d.recorded(), d.realized(), d.labelled(), r.id(), r.occurrences());
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }
}
