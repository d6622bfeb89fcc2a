package dev.keel.registry.service;

import dev.keel.common.model.Objective;
import dev.keel.common.model.XgbModel;
import dev.keel.registry.config.RegistryConfig;
import dev.keel.common.features.FeatureSpec;
import dev.keel.registry.domain.GateCheck;
import dev.keel.registry.domain.GateResult;
import dev.keel.registry.domain.ModelMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a version must pass before production: its stored artifact is intact and loads in the
 * pure-Java runtime that will serve it, its schema fits the model, it predicts a smoke set without
 * error, and its recorded metrics meet the thresholds. Every check runs, so a refusal lists every
 * reason at once rather than one per attempt.
 */
@ApplicationScoped
public class DeploymentGate {

    private final int smokeRows;

    public DeploymentGate(RegistryConfig config) {
        this.smokeRows = config.gate().smokeRows();
    }

    /** The artifact checks and the metric thresholds. */
    public GateResult evaluate(Candidate candidate, Map<String, Double> thresholds) {
        Artifact artifact = artifactChecks(candidate);
        List<GateCheck> checks = new ArrayList<>(artifact.checks());
        ModelMetrics metrics = candidate.metrics();
        Objective.Task task = artifact.model() == null ? null : artifact.model().objective().task();
        thresholds.forEach((metric, threshold) -> checks.add(metric(metrics, metric, threshold, task)));
        return new GateResult(checks.stream().allMatch(GateCheck::passed), false, thresholds, checks);
    }

    /** Only the checks that the artifact can be served; what a rollback to a former production version runs. */
    public GateResult evaluateArtifact(Candidate candidate) {
        List<GateCheck> checks = artifactChecks(candidate).checks();
        return new GateResult(checks.stream().allMatch(GateCheck::passed), false, Map.of(), checks);
    }

    /** The artifact's checks, and the model when it loaded. */
    private record Artifact(List<GateCheck> checks, XgbModel model) {
    }

    /**
     * A version as the gate sees it.
     *
     * @param artifact       the stored bytes, null when they are missing
     * @param recordedSha256 the checksum recorded at upload
     */
    public record Candidate(byte[] artifact, String recordedSha256, List<FeatureSpec> featureSchema,
                            Map<String, Object> baselineStats, ModelMetrics metrics) {
    }

    private Artifact artifactChecks(Candidate candidate) {
        List<GateCheck> checks = new ArrayList<>();
        if (candidate.artifact() == null) {
            checks.add(GateCheck.fail("artifact_checksum", "the artifact's bytes are missing from the store"));
            checks.add(GateCheck.fail("artifact_loads", "no artifact to load"));
            return new Artifact(checks, null);
        }
        String actual = ModelArtifact.sha256Hex(candidate.artifact());
        checks.add(actual.equals(candidate.recordedSha256())
                ? GateCheck.pass("artifact_checksum", "SHA-256 matches " + actual)
                : GateCheck.fail("artifact_checksum", "stored bytes hash to " + actual + ", recorded " + candidate.recordedSha256()));
        XgbModel model;
        try {
            model = XgbModel.load(candidate.artifact());
            checks.add(GateCheck.pass("artifact_loads", "loads as " + model));
        } catch (RuntimeException e) {
            checks.add(GateCheck.fail("artifact_loads", "the runtime cannot load it: " + e.getMessage()));
            return new Artifact(checks, null);
        }
        List<FeatureSpec> schema = candidate.featureSchema();
        if (schema.size() != model.numFeatures()) {
            checks.add(GateCheck.fail("feature_schema", "the schema lists " + schema.size() + " features, the model takes "
                    + model.numFeatures()));
            return new Artifact(checks, model);
        }
        checks.add(GateCheck.pass("feature_schema", schema.size() + " features"));
        checks.add(smoke(model, schema, candidate.baselineStats()));
        return new Artifact(checks, model);
    }

    private GateCheck smoke(XgbModel model, List<FeatureSpec> schema, Map<String, Object> baselineStats) {
        int n = SmokeSet.rows(schema, smokeRows);
        float[] rows = SmokeSet.generate(schema, baselineStats, n);
        float[] out = new float[n * Math.max(model.outputWidth(), model.numOutputGroups())];
        try {
            model.predictBatch(rows, n, out);
        } catch (RuntimeException e) {
            return GateCheck.fail("smoke_predictions", "prediction on the smoke set failed: " + e.getMessage());
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n * model.outputWidth(); i++) {
            if (!Float.isFinite(out[i])) {
                return GateCheck.fail("smoke_predictions", "smoke row " + (i / model.outputWidth() + 1)
                        + " predicted a non-finite value");
            }
            min = Math.min(min, out[i]);
            max = Math.max(max, out[i]);
        }
        if (model.objective().isBinaryProbability() && (min < 0 || max > 1)) {
            return GateCheck.fail("smoke_predictions", "probabilities outside [0, 1]: " + min + " to " + max);
        }
        return GateCheck.pass("smoke_predictions", String.format(Locale.ROOT, "%d rows predicted, outputs %.4g to %.4g",
                n, min, max));
    }

    /**
     * A threshold on a metric that does not measure the model's task (the project's default F1 for a
     * regression model, R² for a classifier) passes as not applicable; with no model loaded, every
     * threshold is checked (the artifact checks fail the gate anyway). An error metric's threshold
     * (MAE, RMSE) is a maximum, every other one a minimum.
     */
    private static GateCheck metric(ModelMetrics metrics, String metric, double threshold, Objective.Task task) {
        String name = "metric_" + metric;
        if (task != null && !ModelMetrics.appliesTo(metric, task)) {
            return GateCheck.pass(name, metric + " does not measure a " + task.wireName() + " model; not checked");
        }
        boolean maximum = ModelMetrics.isMaximum(metric);
        return metrics.byName(metric)
                .map(value -> (maximum ? value <= threshold : value >= threshold)
                        ? GateCheck.pass(name, String.format(Locale.ROOT, "%s %.4f %s %.4f", metric, value, maximum ? "<=" : ">=", threshold))
                        : GateCheck.fail(name, String.format(Locale.ROOT, "%s %.4f is %s the threshold %.4f", metric, value,
                                maximum ? "above" : "below", threshold)))
                .orElseGet(() -> GateCheck.fail(name, metric + " was not recorded; the threshold is " + threshold));
    }
}
