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

    public MonitorService(ModelVersionRepository versions, BaselineService baselines, PolicyResolver policies,
                          DriftGauges gauges, AlertService alerts, DriftConfig config, CurrentCaller caller) {
        this.versions = versions;
        this.caller = caller;
        this.baselines = baselines;
        this.policies = policies;
        this.gauges = gauges;
        this.alerts = alerts;
        this.config = config;
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
                window.alerts.claim(severity, Instant.now(), config.monitor().alertInterval())
                        .ifPresent(claim -> raise(version, drift, severity, snapshot.size(), window.alerts, claim));
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
    private void raise(ModelVersionRef version, DatasetDrift drift, Severity severity, int windowSize,
                       MonitorAlertGate gate, MonitorAlertGate.Claim claim) {
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
        try {
            alerts.raise(version.projectId(), version.modelName(), "data_drift", severity.wireName(),
                    "Data drift in " + version.modelName() + " v" + version.version(),
                    String.format(Locale.ROOT, "Drift score %.3f (%s) over the last %d /monitor observations; "
                            + "highest feature scores: %s", drift.driftScore(), severity.wireName(), windowSize, worst),
                    evidence);
        } catch (RepositoryException e) {
            gate.release(claim);
            LOG.warnf("Drift of %s's /monitor window is %s, but its alert was not stored (the next drifted call "
                    + "tries again): %s", version.label(), severity.wireName(), e.getMessage());
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
        return versions.find(project.id(), m.group(2), number).orElseThrow(() -> ProblemException.unprocessable(
                "model_version", "Model '" + m.group(2) + "' of project '" + project.name() + "' has no " + what));
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
