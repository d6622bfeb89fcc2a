package dev.keel.agent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.config.AgentConfig;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.repository.ActionRecord;
import dev.keel.agent.repository.ActionRepository;
import dev.keel.agent.repository.MonitoringFacts;
import dev.keel.agent.repository.MonitoringFacts.ProductionVersion;
import dev.keel.common.jobs.JobLeases;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The agent's own look at every production model, over the shared schema: the latest drift report
 * (data_drift), realized performance against the version's test metrics (performance_degradation),
 * the predicted-positive rate against the window before (prediction_anomaly), probabilities near the
 * decision threshold (low_confidence), and the logged requests against the feature schema
 * (data_quality). A lease in job_leases keeps replicas, and the check run on demand, from running it
 * twice at once. The lease is short and renewed while the check runs, so a replica killed mid-check
 * holds up the others for one lease, not for as long as a check could ever take. The lease's length is
 * checked when the service starts.
 */
@Startup
@ApplicationScoped
public class PeriodicCheck {

    private static final Logger LOG = Logger.getLogger(PeriodicCheck.class);
    private static final String JOB = "agent-check";
    /**
     * The shortest lease {@code KEEL_AGENT_SCHEDULE_CHECK_LEASE} may set. A running check renews its lease every
     * third of it, so 3 seconds means a renewal, one write to job_leases, each second, and two renewals may be late
     * (a slow database, a pause) before the lease runs out; a shorter lease writes many times a second and lets a
     * running check lose its lease to the next one over a hiccup.
     */
    static final Duration SHORTEST_LEASE = Duration.ofSeconds(3);

    /** A detected issue and what the agent did about it. */
    public record Finding(String project, Diagnosis diagnosis, List<ActionRecord> actions) {
    }

    private final MonitoringFacts facts;
    private final DiagnosisRules rules;
    private final ActionService actions;
    private final JobLeases leases;
    private final ActionRepository actionRows;
    private final AgentConfig config;
    private final ObjectMapper json;
    private final String holder = "agent-service-" + UUID.randomUUID();
    private final Duration spacing;
    private final Duration lease;
    /** Renews the lease of a running check; one daemon thread, idle between checks. */
    private final ScheduledThreadPoolExecutor heartbeat;

    public PeriodicCheck(MonitoringFacts facts, DiagnosisRules rules, ActionService actions, JobLeases leases,
                         ActionRepository actionRows, AgentConfig config, ObjectMapper json) {
        this.actionRows = actionRows;
        this.facts = facts;
        this.rules = rules;
        this.actions = actions;
        this.leases = leases;
        this.config = config;
        this.json = json;
        this.spacing = spacing(config.schedule().checkInterval());
        this.lease = lease(config.schedule().checkLease());
        this.heartbeat = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "keel-agent-check-lease");
            t.setDaemon(true);
            return t;
        });
        heartbeat.setRemoveOnCancelPolicy(true);
    }

    /** The configured lease, or an {@link IllegalStateException} naming the variable when it is under {@link #SHORTEST_LEASE}. */
    static Duration lease(Duration configured) {
        if (configured.compareTo(SHORTEST_LEASE) < 0) {
            throw new IllegalStateException("KEEL_AGENT_SCHEDULE_CHECK_LEASE (keel.agent.schedule.check-lease) must be at "
                    + "least 3 seconds (3S), as a running check renews it every third of it; it is " + configured.toMillis()
                    + " ms");
        }
        return configured;
    }

    @PreDestroy
    void stopHeartbeat() {
        heartbeat.shutdownNow();
    }

    /**
     * Four fifths of the check interval: each replica runs the check on a timer of its own, and the
     * check starts only when it last started this long ago on any of them, so it runs about once per
     * interval in all (the fifth left over absorbs timers that fire a little early or late).
     */
    static Duration spacing(String every) {
        String text = every.strip().toUpperCase(Locale.ROOT);
        try {
            return (text.startsWith("P") ? Duration.parse(text) : Duration.parse("PT" + text)).multipliedBy(4).dividedBy(5);
        } catch (DateTimeParseException e) {
            return Duration.ZERO;   // a form Duration cannot read: the lease alone keeps runs apart
        }
    }

    @Scheduled(identity = JOB, every = "${keel.agent.schedule.check-interval:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ScheduleDisabled.class)
    void scheduled() {
        if (!leases.acquireSpaced(JOB, holder, lease, spacing)) {
            LOG.debug("Periodic check skipped: another replica runs it, or ran it less than an interval ago");
            return;
        }
        List<Finding> found = underLease(holder, () -> check(null, Instant.now()));
        LOG.infof("Periodic check found %d issue(s)", found.size());
    }

    /**
     * The check of one project on demand, under the scheduled run's lease: two runs at once would both
     * diagnose the same drift report or bucket before either recorded acting on it (two alert bumps,
     * two send_alert rows). Empty while another run, scheduled or on demand, holds the lease. Each call
     * holds it under a name of its own, so a scheduled run of this replica keeps it out too.
     */
    public Optional<List<Finding>> checkNow(long projectId) {
        String onDemand = holder + "/on-demand-" + UUID.randomUUID();
        if (!leases.acquire(JOB, onDemand, lease)) {
            return Optional.empty();
        }
        return Optional.of(underLease(onDemand, () -> check(projectId, Instant.now())));
    }

    /**
     * Runs {@code work} while {@code holderName} holds the lease, renewing it every third of its length,
     * then lets it go. A renewal still in flight when the work ends cannot take the lease back after
     * the release: both happen under the same lock, the release last.
     */
    private <T> T underLease(String holderName, Supplier<T> work) {
        Object turn = new Object();
        boolean[] done = {false};
        long every = Math.max(1, lease.toMillis() / 3);
        ScheduledFuture<?> renewal = heartbeat.scheduleWithFixedDelay(() -> {
            synchronized (turn) {
                if (!done[0]) {
                    renew(holderName);
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            return work.get();
        } finally {
            renewal.cancel(false);
            synchronized (turn) {
                done[0] = true;
                leases.release(JOB, holderName);
            }
        }
    }

    private void renew(String holderName) {
        try {
            if (!leases.acquire(JOB, holderName, lease)) {
                LOG.warnf("The periodic check's lease ran out before it was renewed and another run holds it now; "
                        + "this run goes on (what it acts on is guarded per action)");
            }
        } catch (RuntimeException e) {
            LOG.warnf("Renewing the periodic check's lease failed (%s); it is tried again in %d ms", e.getMessage(),
                    Math.max(1, lease.toMillis() / 3));
        }
    }

    /** Checks every production model of one project (or of all, when null) at {@code now}. */
    public List<Finding> check(Long projectId, Instant now) {
        List<Finding> found = new ArrayList<>();
        for (ProductionVersion v : facts.productionVersions(projectId)) {
            for (Diagnosis d : diagnose(v, now)) {
                if (!d.detected()) {
                    continue;
                }
                try {
                    found.add(new Finding(v.projectName(), d, actions.remediate(v.projectId(), v.projectName(), d, false,
                            ActionService.AGENT, null)));
                } catch (RuntimeException e) {
                    LOG.warnf("Remediating %s of %s failed: %s", d.kind().wireName(), v.label(), e.getMessage());
                }
            }
        }
        return found;
    }

    /** Every rule that has enough data, for one production version. */
    List<Diagnosis> diagnose(ProductionVersion v, Instant now) {
        AgentConfig.Check c = config.check();
        Instant from = now.minus(c.window());
        List<Diagnosis> out = new ArrayList<>();
        facts.latestDriftReport(v.projectId(), v.modelName(), from).filter(r -> !actedOn(v, IssueKind.DATA_DRIFT,
                "report_id", Long.toString(r.id()))).ifPresent(r -> {
            ObjectNode e = evidence(v, from, now);
            e.put("report_id", r.id());
            e.put("dataset_drift", r.datasetDrift());
            e.put("drift_share", r.driftShare());
            e.put("drift_score", r.driftScore());
            e.put("severity", r.severity());
            out.add(rules.judge(IssueKind.DATA_DRIFT, v.modelName(), v.version(), e, null, ActionService.AGENT));
        });
        facts.realizedPerformance(v.projectId(), v.modelName(), v.version(), from, c.minSamples(), 1).stream().findFirst()
                .filter(b -> !actedOn(v, IssueKind.PERFORMANCE_DEGRADATION, "window_start", b.bucketStart().toString()))
                .ifPresent(b -> {
                    ObjectNode e = evidence(v, b.bucketStart(), b.bucketEnd());
                    e.put("sample_count", b.sampleCount());
                    boolean any = false;
                    // what the bucket measured beside what the version recorded at training
                    Map<String, Double> measured = new LinkedHashMap<>();
                    measured.put("f1", b.f1());
                    measured.put("accuracy", b.accuracy());
                    measured.put("rmse", b.rmse());
                    for (Map.Entry<String, Double> m : measured.entrySet()) {
                        if (m.getValue() != null && v.metrics().hasNonNull(m.getKey())) {
                            e.put(m.getKey(), m.getValue());
                            e.put("reference_" + m.getKey(), v.metrics().get(m.getKey()).asDouble());
                            any = true;
                        }
                    }
                    if (any) {
                        out.add(rules.judge(IssueKind.PERFORMANCE_DEGRADATION, v.modelName(), v.version(), e, null,
                                ActionService.AGENT));
                    }
                });
        double margin = config.thresholds().lowConfidenceMargin();
        MonitoringFacts.PredictionStats current = facts.predictionStats(v, from, now, margin);
        // a positive rate and a low-confidence share measure a binary classifier (a class index or a value is not "positive")
        if (current.rows() >= c.minSamples() && v.binaryClassifier()) {
            MonitoringFacts.PredictionStats reference = facts.predictionStats(v, from.minus(c.referenceWindow()), from, margin);
            if (reference.rows() >= c.minSamples() && current.positiveRate() != null && reference.positiveRate() != null) {
                ObjectNode e = evidence(v, from, now);
                e.put("predictions", current.rows());
                e.put("reference_predictions", reference.rows());
                e.put("positive_rate", DiagnosisRules.round(current.positiveRate()));
                e.put("reference_positive_rate", DiagnosisRules.round(reference.positiveRate()));
                out.add(rules.judge(IssueKind.PREDICTION_ANOMALY, v.modelName(), v.version(), e, null, ActionService.AGENT));
            }
            if (current.withProbability() >= c.minSamples() && current.lowConfidenceShare() != null) {
                ObjectNode e = evidence(v, from, now);
                e.put("predictions", current.withProbability());
                e.put("low_confidence_share", DiagnosisRules.round(current.lowConfidenceShare()));
                e.put("margin", margin);
                e.put("decision_threshold", v.decisionThreshold());
                out.add(rules.judge(IssueKind.LOW_CONFIDENCE, v.modelName(), v.version(), e, null, ActionService.AGENT));
            }
        }
        // refused rows (422s) never reach the log: a version receiving only bad requests has no logged rows at all.
        // They are counted by the hour, so the rate compares them with the rows logged over the same whole hours.
        Instant hourStart = from.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Map<String, Long> refused = facts.refusedRows(v, hourStart, now);
        long refusedRows = refused.values().stream().mapToLong(Long::longValue).sum();
        long loggedInHours = refusedRows == 0 || hourStart.equals(from) ? current.rows()
                : facts.predictionStats(v, hourStart, now, margin).rows();
        long requested = loggedInHours + refusedRows;
        if (requested >= c.minSamples() && v.featureSchema() != null && v.featureSchema().size() > 0) {
            ObjectNode e = evidence(v, from, now);
            if (current.rows() > 0) {
                ObjectNode validation = DataValidator.validate(v.featureSchema(),
                        facts.recentFeatures(v, from, now, c.maxValidatedRows()));
                validation.fields().forEachRemaining(f -> e.set(f.getKey(), f.getValue()));
            }
            e.put("requested_rows", requested);
            e.put("refused_since", hourStart.toString());
            e.put("refused_rows", refusedRows);
            e.put("refused_rate", DiagnosisRules.round(refusedRows / (double) requested));
            ObjectNode byReason = e.putObject("refused_by_reason");
            refused.forEach(byReason::put);
            out.add(rules.judge(IssueKind.DATA_QUALITY, v.modelName(), v.version(), e, null, ActionService.AGENT));
        }
        return out;
    }

    /** A drift report or performance bucket already acted on is not diagnosed again on the next round. */
    private boolean actedOn(ProductionVersion v, IssueKind kind, String field, String value) {
        return actionRows.actedOn(v.projectId(), v.modelName(), kind.wireName(), field, value);
    }

    private ObjectNode evidence(ProductionVersion v, Instant from, Instant to) {
        ObjectNode e = json.createObjectNode();
        e.put("source", "agent periodic check");
        e.put("model_version", v.version());
        e.put("window_start", from.toString());
        e.put("window_end", to.toString());
        return e;
    }
}
