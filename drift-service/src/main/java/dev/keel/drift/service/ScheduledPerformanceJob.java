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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Every production model's performance over the lookback window, on a schedule: buckets
 * recomputed (labels arrive late), then the window's realized figures compared with the version's
 * recorded test metrics (F1 and accuracy, accuracy for multi-class, RMSE for regression); a change
 * for the worse beyond the configured amount, over enough labels, raises (or bumps) the open
 * performance_degradation alert and tells the agent, as drift does.
 *
 * <p>The round heals itself when its replica dies, as the drift reports' does ({@link RoundClaim}): a
 * short claim renewed by the heartbeat, the firing recorded in {@code performance-metrics.completed} when
 * the round ends, and every replica's heartbeat taking over a dead round, computing the firing's window of
 * each model the dead round did not and raising the degradation of one it computed but did not raise.
 */
@ApplicationScoped
public class ScheduledPerformanceJob {

    private static final Logger LOG = Logger.getLogger(ScheduledPerformanceJob.class);
    private static final String JOB = "performance-metrics";
    static final String KIND = "performance_degradation";

    /** The job_leases row whose last_run_at is the last firing whose round finished. */
    static final String COMPLETED = RoundClaim.completedRow(JOB);

    private final ModelVersionRepository versions;
    private final PerformanceService performance;
    private final AlertService alerts;
    private final AlertRepository alertRows;
    private final DriftGauges gauges;
    private final DriftConfig config;
    private final RoundClaim claim;

    public ScheduledPerformanceJob(ModelVersionRepository versions, PerformanceService performance, AlertService alerts,
                                   AlertRepository alertRows, JobLeases leases, DriftGauges gauges, DriftConfig config) {
        this.versions = versions;
        this.performance = performance;
        this.alerts = alerts;
        this.alertRows = alertRows;
        this.gauges = gauges;
        this.config = config;
        this.claim = new RoundClaim(JOB, leases, () -> config.schedule().lease(), () -> config.schedule().heartbeat());
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
     * taken); empty when another replica has it. While the round of an earlier firing is unfinished
     * (taken over here or elsewhere, or still running on another replica) it waits for that round, finishing
     * it itself once its claim lapses, then claims this firing. Either way this replica then drops the performance
     * gauges of versions no longer in production.
     */
    List<Degradation> runFiring(Instant firing, Instant end) {
        List<Degradation> raised = claim.runFiring(firing, () -> round(end, null), unfinished -> round(unfinished, unfinished));
        retireGauges();
        return raised;
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
     * (its replica died): finished here, computing the firing's window of each model its round did not,
     * and raising the degradation of one it computed but did not raise. Answers the degradations raised;
     * empty when there is no such round, or its replica still renews it.
     */
    List<Degradation> takeOverUnfinished() {
        return claim.takeOver(firing -> round(firing, firing));
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

    /**
     * One round over all production models, the window ending at {@code end}; answers the degradations
     * raised. Taking over the round of {@code resumed} (else null), a model already computed in it is not
     * computed again, its degradation raised if that never happened.
     */
    private List<Degradation> round(Instant end, Instant resumed) {
        List<Degradation> raised = new ArrayList<>();
        // the dead round's window, in whole buckets
        Instant resumedFrom = resumed == null ? null : performance.alignDown(resumed.minus(config.performance().lookback()));
        Instant resumedTo = resumed == null ? null : performance.alignUp(resumed);
        for (ModelVersionRef version : versions.production()) {
            if (version.task() == Objective.Task.MARGIN) {
                LOG.debugf("No performance metrics for %s: its predictions are raw margins", version.label());
                continue;
            }
            if (claim.lost()) {
                LOG.warnf("Round of %s ending %s stopped before %s: its claim was taken", JOB, end, version.label());
                break;
            }
            try {
                if (resumed != null) {
                    Optional<PerformanceRepository.Computed> done = computedIn(version, resumed, resumedFrom, resumedTo);
                    if (done.isPresent()) {
                        unraised(version, resumedFrom, resumedTo, done.get()).ifPresent(raised::add);
                        continue;
                    }
                }
                PerformanceService.Computation run = performance.compute(version,
                        end.minus(config.performance().lookback()), end);
                check(version, run.from(), run.to()).ifPresent(raised::add);
            } catch (RepositoryException | IllegalArgumentException e) {
                LOG.warnf("Scheduled performance metrics for %s failed: %s", version.label(), e.getMessage());
            }
        }
        return raised;
    }

    /**
     * The dead round of {@code firing}'s computation of this version: every stored bucket of the firing's
     * window [from, to) computed at or after the firing (earlier rounds computed them before it); empty when
     * the dead round did not reach it, or reached it without finishing its computation.
     */
    private Optional<PerformanceRepository.Computed> computedIn(ModelVersionRef version, Instant firing, Instant from,
                                                                Instant to) {
        return performance.computed(version, from, to).filter(c -> !c.first().isBefore(firing));
    }

    /**
     * The degradation of a version a dead round computed over [from, to) but stopped before raising:
     * checked on the buckets it stored, and raised unless the model's alert of this kind was raised or
     * bumped since the last of them was computed (then the dead round raised it, or found none to raise).
     */
    private Optional<Degradation> unraised(ModelVersionRef version, Instant from, Instant to,
                                           PerformanceRepository.Computed done) {
        if (alertRows.raisedSince(version.projectId(), version.modelName(), KIND, done.last())) {
            return Optional.empty();
        }
        Optional<Degradation> raised = check(version, from, to);
        raised.ifPresent(d -> LOG.infof("Raised the degradation of %s, computed by a round that stopped before raising it",
                version.label()));
        return raised;
    }

    /**
     * Compares the realized figures of the buckets in [from, to) with the recorded test metrics and raises
     * on the worst that got worse beyond what is allowed: F1 and accuracy of a binary classifier and
     * accuracy of a multi-class one, by an absolute drop; RMSE of a regression model, by a relative rise.
     */
    Optional<Degradation> check(ModelVersionRef version, Instant from, Instant to) {
        PerformanceRepository.Realized realized = performance.realizedTotals(version, from, to);
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
        return worst == null ? Optional.empty() : Optional.of(raise(version, worst, from, to, realized));
    }

    /** A realized metric worse than recorded by {@code change} where {@code allowed} was allowed. */
    private record Worse(String metric, double recorded, double realized, double change, double allowed,
                         boolean lowerIsBetter) {
    }

    private Degradation raise(ModelVersionRef v, Worse w, Instant from, Instant to,
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
        evidence.put("window_start", from.toString());
        evidence.put("window_end", to.toString());
        String severity = w.change() >= 2 * w.allowed() ? "critical" : "warning";
        AlertRepository.Raised r = alerts.raise(v.projectId(), v.modelName(), KIND, severity,
                "Performance degradation in " + v.modelName() + " v" + v.version(),
                String.format(Locale.ROOT, "Realized %s %.3f over %d labelled predictions in [%s, %s) is %.3f %s "
                                + "the recorded %.3f (allowed %.3f)", w.metric(), w.realized(), realized.labelled(),
                        from, to, w.change(), w.lowerIsBetter() ? "above" : "below", w.recorded(),
                        w.allowed()), evidence);
        return new Degradation(v, w.metric(), w.recorded(), w.realized(), realized.labelled(), r.id(), r.occurrences());
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }
}
