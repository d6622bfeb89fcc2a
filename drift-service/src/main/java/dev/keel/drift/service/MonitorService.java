package dev.keel.drift.service;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.CurrentCaller;
import dev.keel.common.security.Role;
import dev.keel.common.security.ProjectRef;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.repository.ModelVersionRepository;
import dev.keel.drift.repository.RepositoryException;
import dev.keel.drift.stats.Baseline;
import dev.keel.drift.stats.DatasetDrift;
import dev.keel.drift.stats.DriftCalculator;
import dev.keel.drift.stats.DriftPolicy;
import dev.keel.drift.stats.FeatureDrift;
import dev.keel.drift.stats.FeatureReference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The seed's /monitor/predict: each observation joins a sliding window of the model version's
 * latest observations (in memory, per replica, {@code keel.drift.monitor.window-size} of them),
 * and the answer is that window's drift against the version's baseline.
 *
 * <p>{@code model_version} names a version as {@code [project/]model[:version]}: without a
 * version it is the production one; without a project it is the caller's (a project key's own, or
 * the one the bootstrap key names). A project key naming another project gets 403, so a caller
 * learns nothing of another project's models, features or baselines.
 *
 * <p>When a production version's window (of at least the minimum size) reaches warning or critical,
 * it raises a data_drift alert through {@link AlertService}, as the scheduled job does, so a serving
 * stack that reports its traffic here gets the same alert row and agent signal; {@link
 * MonitorAlertGate} keeps a steady stream of drifted calls from raising on every call. Each replica
 * has its own window and gate, so N replicas may raise up to N times per interval: the alerts
 * table's upsert keeps that to one open row (with N occurrences), and the agent's cooldown and
 * already-open guard keep it to one remediation.
 *
 * <p>Through a database outage /monitor answers from what it has: each name's last resolved version
 * (a bare name's production version), for {@code keel.drift.monitor.outage-grace} after the database
 * last confirmed it, with that version's baseline (parsed from the version's row already in memory),
 * and 503 for a name it never resolved. An alert it cannot store then is kept, one per model (the
 * latest), and written by {@link #retryPendingAlerts} once the database answers again; meanwhile
 * {@code keel_drift_monitor_alerts_pending} counts them and {@code keel_drift_monitor_outage_answers_total}
 * the answers given from memory.
 */
@ApplicationScoped
public class MonitorService {

    private static final Logger LOG = Logger.getLogger(MonitorService.class);
    /** How many of the highest feature scores an alert's evidence names. */
    private static final int EVIDENCE_FEATURES = 5;

    private static final Pattern VERSION = Pattern.compile(
            "^(?:([a-z0-9][a-z0-9-]{0,62})/)?([A-Za-z0-9][A-Za-z0-9._-]{0,127}?)(?::([0-9]{1,9}))?$");

    private final ModelVersionRepository versions;
    private final BaselineService baselines;
    private final PolicyResolver policies;
    private final DriftGauges gauges;
    private final AlertService alerts;
    private final DriftConfig config;
    private final CurrentCaller caller;
    private final Map<Long, Window> windows = new ConcurrentHashMap<>();
    /** The version each name last resolved to, and when the database said so: the answer through an outage. */
    private final Map<Lookup, Resolved> resolved = new ConcurrentHashMap<>();
    /** Alerts a window raised that could not be stored yet, the latest per model. */
    private final Map<AlertKey, PendingAlert> pendingAlerts = new ConcurrentHashMap<>();
    private final Counter outageAnswers;

    private record Lookup(long projectId, String model, Integer version) {
    }

    private record Resolved(ModelVersionRef version, Instant at) {
    }

    private record AlertKey(long projectId, String model) {
    }

    private record PendingAlert(ModelVersionRef version, Severity severity, String title, String message,
                                Map<String, Object> evidence, Instant raisedAt) {
    }

    public MonitorService(ModelVersionRepository versions, BaselineService baselines, PolicyResolver policies,
                          DriftGauges gauges, AlertService alerts, DriftConfig config, CurrentCaller caller,
                          MeterRegistry registry) {
        this.versions = versions;
        this.caller = caller;
        this.baselines = baselines;
        this.policies = policies;
        this.gauges = gauges;
        this.alerts = alerts;
        this.config = config;
        Gauge.builder("keel.drift.monitor.alerts.pending", pendingAlerts, Map::size)
                .description("/monitor alerts raised while the database was unreachable, not stored yet")
                .register(registry);
        this.outageAnswers = Counter.builder("keel.drift.monitor.outage.answers")
                .description("/monitor answers given from the last resolved version while the database was unreachable")
                .register(registry);
    }

    /** The drift of the window after adding this observation. */
    public record Observation(DatasetDrift drift, Severity severity, boolean driftDetected, int windowSize) {
    }

    private static final class Window {
        final ArrayDeque<Map<String, Object>> rows = new ArrayDeque<>();
        final MonitorAlertGate alerts = new MonitorAlertGate();
    }

    public Observation observe(String modelVersion, Map<String, Object> features) {
        ModelVersionRef version = resolve(modelVersion);
        Baseline baseline = baselines.baselineOf(version, "model_version");
        validate(baseline, features);
        DriftPolicy policy = policies.policyFor(version.modelName(), null);
        Window window = windows.computeIfAbsent(version.versionId(), id -> new Window());
        List<Map<String, Object>> snapshot;
        synchronized (window) {
            window.rows.addLast(new LinkedHashMap<>(features));
            while (window.rows.size() > config.monitor().windowSize()) {
                window.rows.removeFirst();
            }
            snapshot = new ArrayList<>(window.rows);
        }
        DatasetDrift drift = DriftCalculator.compute(baseline, policy, w -> snapshot.forEach(w::acceptRow));
        boolean enough = snapshot.size() >= config.monitor().minObservations();
        Severity severity = enough ? Severity.of(drift.driftScore(), config.warningThreshold(), config.criticalThreshold())
                : Severity.NONE;
        // a window too small for a severity is too small for the gauges too: alerts read them
        if (enough) {
            gauges.driftScore(version.projectName(), version.modelName(), version.version(), drift.driftScore());
            for (FeatureDrift f : drift.features()) {
                gauges.featureScore(version.projectName(), version.modelName(), version.version(), f.name(), f.score());
            }
            // like the scheduled job, only production raises: the alert is the model's, and the agent
            // acts on its production version. Only a caller who may write raises: an alert starts the
            // agent's remediation, which a read key must not be able to set off (the agent's own
            // /signals needs the write role too)
            if ("production".equals(version.stage()) && caller.get().has(Role.WRITE)) {
                if (window.alerts.claim(severity, Instant.now(), config.monitor().alertInterval())) {
                    raise(version, drift, severity, snapshot.size());
                }
            }
        }
        return new Observation(drift, severity, severity != Severity.NONE, snapshot.size());
    }

    /**
     * Evidence in the scheduled job's shape, less the report id and time window (a /monitor window is
     * neither stored nor timed), saying it came from the monitor and how full the window was. It says
     * {@code trigger}, not {@code source}: the agent overwrites {@code evidence.source} with the
     * signal's own. No {@code dataset_drift}: the window's severity is the largest feature score against the
     * thresholds, not Evidently's share of drifted features, so the agent takes it as the alert's
     * declared severity rather than re-judging it by the report rule.
     */
    private void raise(ModelVersionRef version, DatasetDrift drift, Severity severity, int windowSize) {
        List<String> drifted = drift.features().stream().filter(FeatureDrift::drifted).map(FeatureDrift::name).toList();
        // a list, not a map: the alerts table's jsonb would lose the order
        List<Map<String, Object>> top = drift.features().stream().filter(FeatureDrift::evaluated)
                .sorted(Comparator.comparingDouble(FeatureDrift::score).reversed())
                .limit(EVIDENCE_FEATURES)
                .map(f -> Map.<String, Object>of("feature", f.name(), "score", round(f.score())))
                .toList();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("trigger", "monitor");
        evidence.put("model_version", version.version());
        evidence.put("drift_share", drift.driftShare());
        evidence.put("drift_score", drift.driftScore());
        evidence.put("drifted_features", drifted);
        evidence.put("top_features", top);
        evidence.put("window_size", windowSize);
        evidence.put("window_capacity", config.monitor().windowSize());
        String worst = top.stream()
                .map(f -> String.format(Locale.ROOT, "%s %.3f", f.get("feature"), (Double) f.get("score")))
                .collect(Collectors.joining(", "));
        PendingAlert alert = new PendingAlert(version, severity, "Data drift in " + version.modelName() + " v" + version.version(),
                String.format(Locale.ROOT, "Drift score %.3f (%s) over the last %d /monitor observations; "
                        + "highest feature scores: %s", drift.driftScore(), severity.wireName(), windowSize, worst),
                evidence, Instant.now());
        AlertKey key = new AlertKey(version.projectId(), version.modelName());
        try {
            store(alert);
            // this one is newer than any kept from an outage, which would only overwrite it with older evidence
            pendingAlerts.remove(key);
        } catch (RepositoryException e) {
            // the window's claim stands (its calls do not try again one by one); the alert is written later
            pendingAlerts.put(key, alert);
            LOG.warnf("Drift of %s's /monitor window is %s, but its alert could not be stored now; it is kept and "
                    + "written when the database answers: %s", version.label(), severity.wireName(), e.getMessage());
        }
    }

    private void store(PendingAlert a) {
        alerts.raise(a.version().projectId(), a.version().modelName(), "data_drift", a.severity().wireName(), a.title(),
                a.message(), a.evidence());
    }

    /**
     * Writes the alerts kept through an outage, each once, as soon as the database answers; a pass stops
     * at the first failure (the database is still away) and the next tries again.
     */
    @Scheduled(identity = "monitor-alert-retry", every = "${keel.drift.monitor.alert-retry:10S}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryPendingAlerts() {
        for (Map.Entry<AlertKey, PendingAlert> e : pendingAlerts.entrySet()) {
            PendingAlert a = e.getValue();
            try {
                store(a);
            } catch (RepositoryException ex) {
                LOG.debugf("%d /monitor alerts still wait for the database: %s", pendingAlerts.size(), ex.getMessage());
                return;
            }
            pendingAlerts.remove(e.getKey(), a);
            LOG.infof("/monitor alert for %s (%s), raised at %s while the database was unreachable, is stored",
                    a.version().label(), a.severity().wireName(), a.raisedAt());
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    public boolean baselineDataLoaded() {
        return baselines.anyLoaded() || versions.anyBaseline();
    }

    ModelVersionRef resolve(String modelVersion) {
        if (modelVersion == null || modelVersion.isBlank()) {
            throw ProblemException.badRequest("model_version", "model_version is required: [project/]model[:version]");
        }
        Matcher m = VERSION.matcher(modelVersion.strip());
        if (!m.matches()) {
            throw ProblemException.badRequest("model_version", "model_version '" + modelVersion
                    + "' is not [project/]model[:version], e.g. \"heart:3\" or \"cardio/heart\" (production)");
        }
        Optional<Integer> number = Optional.ofNullable(m.group(3)).map(Integer::valueOf);
        String what = number.isPresent() ? "version " + number.get() : "production version";
        ProjectRef project = m.group(1) != null ? caller.project(m.group(1)) : caller.project();
        Lookup lookup = new Lookup(project.id(), m.group(2), number.orElse(null));
        Optional<ModelVersionRef> found;
        try {
            found = versions.find(project.id(), m.group(2), number);
        } catch (RepositoryException e) {
            return lastResolved(lookup, e);
        }
        found.ifPresentOrElse(v -> resolved.put(lookup, new Resolved(v, Instant.now())), () -> resolved.remove(lookup));
        return found.orElseThrow(() -> ProblemException.unprocessable(
                "model_version", "Model '" + m.group(2) + "' of project '" + project.name() + "' has no " + what));
    }

    /** Through an outage, what the database last said of this name, if recent enough; else the failure (a 503). */
    private ModelVersionRef lastResolved(Lookup lookup, RepositoryException failure) {
        Resolved last = resolved.get(lookup);
        if (last == null || last.at().plus(config.monitor().outageGrace()).isBefore(Instant.now())) {
            throw failure;
        }
        outageAnswers.increment();
        LOG.debugf("Database unreachable: /monitor answers for %s as resolved at %s", last.version().label(), last.at());
        return last.version();
    }

    private static void validate(Baseline baseline, Map<String, Object> features) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String name : features.keySet()) {
            if (baseline.feature(name).isEmpty()) {
                errors.add(new Problem.FieldError("features." + name, "not a feature of this model version"));
            }
        }
        for (FeatureReference f : baseline.features()) {
            if (!features.containsKey(f.name())) {
                errors.add(new Problem.FieldError("features." + f.name(), "missing (send null for a missing value)"));
                continue;
            }
            Object value = features.get(f.name());
            if (value != null && f.numerical() && !(value instanceof Number)) {
                errors.add(new Problem.FieldError("features." + f.name(), "must be a number"));
            }
            // 1e400 reads as infinity; inference refuses it for any feature (XGBoost does too)
            if (value instanceof Number n && Double.isInfinite(n.doubleValue())) {
                errors.add(new Problem.FieldError("features." + f.name(), "must be a finite number"));
            }
            if (value != null && !f.numerical() && !(value instanceof String || value instanceof Boolean || value instanceof Number)) {
                errors.add(new Problem.FieldError("features." + f.name(), "must be a string, number or boolean"));
            }
        }
        if (errors.size() == 1) {
            throw new ProblemException(422, "Unprocessable content", errors.get(0).field() + ": " + errors.get(0).message(),
                    errors.get(0).field(), errors);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors.size() + " features are invalid", errors);
        }
    }
}
