package dev.keel.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.config.AgentConfig;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.domain.Severity;
import dev.keel.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * The five rules. Each reads named numbers from the evidence, compares them with the thresholds of
 * {@code keel.agent.thresholds} and explains itself. Evidence without the numbers a rule needs is
 * accepted only with a declared severity (an external monitor's own verdict), and says so.
 */
@ApplicationScoped
public class DiagnosisRules {

    private final AgentConfig.Thresholds t;

    public DiagnosisRules(AgentConfig config) {
        this.t = config.thresholds();
    }

    public Diagnosis judge(IssueKind kind, String model, Integer version, ObjectNode evidence, Severity declared, String source) {
        return switch (kind) {
            case DATA_DRIFT -> dataDrift(model, version, evidence, declared, source);
            case PERFORMANCE_DEGRADATION -> performance(model, version, evidence, declared, source);
            case PREDICTION_ANOMALY -> anomaly(model, version, evidence, declared, source);
            case LOW_CONFIDENCE -> lowConfidence(model, version, evidence, declared, source);
            case DATA_QUALITY -> dataQuality(model, version, evidence, declared, source);
        };
    }

    /** Drift: the drift report's verdict; its severity when critical, else warning. */
    private Diagnosis dataDrift(String model, Integer version, ObjectNode e, Severity declared, String source) {
        if (!e.hasNonNull("dataset_drift")) {
            return declaredOnly(IssueKind.DATA_DRIFT, model, version, e, declared, source, "dataset_drift (or report_id)");
        }
        String report = e.hasNonNull("report_id") ? "Drift report " + e.get("report_id").asText() : "The drift report";
        String scores = String.format(Locale.ROOT, "drift share %.2f, drift score %.3f", num(e, "drift_share", 0),
                num(e, "drift_score", 0));
        if (!e.get("dataset_drift").asBoolean()) {
            return new Diagnosis(IssueKind.DATA_DRIFT, null, model, version, e,
                    report + " found no dataset drift (" + scores + ").");
        }
        Severity s = "critical".equals(e.path("severity").asText()) ? Severity.CRITICAL : Severity.WARNING;
        return new Diagnosis(IssueKind.DATA_DRIFT, s, model, version, e, String.format(Locale.ROOT,
                "%s found dataset drift in %s (%s%s); its severity %s makes this %s.", report, label(model, version), scores,
                e.hasNonNull("drifted_features") ? ", drifted: " + join(e.get("drifted_features")) : "",
                e.path("severity").asText("unknown"), s.wireName()));
    }

    /**
     * Degradation: the larger drop of F1 or accuracy below the production version's recorded test
     * metrics; for a regression model, the relative rise of RMSE above the recorded one.
     */
    private Diagnosis performance(String model, Integer version, ObjectNode e, Severity declared, String source) {
        Double f1Drop = drop(e, "f1", "reference_f1");
        Double accDrop = drop(e, "accuracy", "reference_accuracy");
        if (f1Drop == null && accDrop == null) {
            if (e.hasNonNull("rmse") && num(e, "reference_rmse", 0) > 0) {
                return errorRise(model, version, e);
            }
            return declaredOnly(IssueKind.PERFORMANCE_DEGRADATION, model, version, e, declared, source,
                    "f1 or accuracy (or a regression model's rmse) with the production version's test metrics");
        }
        boolean byF1 = accDrop == null || (f1Drop != null && f1Drop >= accDrop);
        String metric = byF1 ? "f1" : "accuracy";
        double dropValue = byF1 ? f1Drop : accDrop;
        e.put("drop", round(dropValue));
        e.put("drop_metric", metric);
        Severity s = grade(dropValue, t.performanceWarningDrop(), t.performanceCriticalDrop());
        String sample = e.hasNonNull("sample_count") ? " on " + e.get("sample_count").asLong() + " labelled predictions" : "";
        return new Diagnosis(IssueKind.PERFORMANCE_DEGRADATION, s, model, version, e, String.format(Locale.ROOT,
                "%s of %s is %.3f%s against %.3f recorded at training: a drop of %.3f, %s (warning at %.2f, critical at %.2f).",
                metric.equals("f1") ? "F1" : "Accuracy", label(model, version), num(e, metric, 0), sample,
                num(e, "reference_" + metric, 0), dropValue, verdict(s), t.performanceWarningDrop(), t.performanceCriticalDrop()));
    }

    private Diagnosis errorRise(String model, Integer version, ObjectNode e) {
        double rmse = num(e, "rmse", 0);
        double reference = num(e, "reference_rmse", 0);
        double rise = (rmse - reference) / reference;
        e.put("rise", round(rise));
        e.put("rise_metric", "rmse");
        Severity s = grade(rise, t.performanceWarningRise(), t.performanceCriticalRise());
        String sample = e.hasNonNull("sample_count") ? " on " + e.get("sample_count").asLong() + " labelled predictions" : "";
        return new Diagnosis(IssueKind.PERFORMANCE_DEGRADATION, s, model, version, e, String.format(Locale.ROOT,
                "RMSE of %s is %.4g%s against %.4g recorded at training: %.0f %% higher, %s (warning at %.0f %%, critical at %.0f %%).",
                label(model, version), rmse, sample, reference, rise * 100, verdict(s), t.performanceWarningRise() * 100,
                t.performanceCriticalRise() * 100));
    }

    /** Anomaly: the absolute shift of the predicted-positive rate against the reference window. */
    private Diagnosis anomaly(String model, Integer version, ObjectNode e, Severity declared, String source) {
        if (!e.hasNonNull("positive_rate") || !e.hasNonNull("reference_positive_rate")) {
            return declaredOnly(IssueKind.PREDICTION_ANOMALY, model, version, e, declared, source,
                    "positive_rate and reference_positive_rate");
        }
        double now = num(e, "positive_rate", 0);
        double before = num(e, "reference_positive_rate", 0);
        double shift = Math.abs(now - before);
        e.put("shift", round(shift));
        Severity s = grade(shift, t.anomalyWarningShift(), t.anomalyCriticalShift());
        return new Diagnosis(IssueKind.PREDICTION_ANOMALY, s, model, version, e, String.format(Locale.ROOT,
                "%s predicts positive for %.1f%% of requests against %.1f%% before: a shift of %.3f, %s "
                        + "(warning at %.2f, critical at %.2f).", label(model, version), now * 100, before * 100, shift,
                verdict(s), t.anomalyWarningShift(), t.anomalyCriticalShift()));
    }

    /** Low confidence: the share of probabilities within the margin of the decision threshold. */
    private Diagnosis lowConfidence(String model, Integer version, ObjectNode e, Severity declared, String source) {
        if (!e.hasNonNull("low_confidence_share")) {
            return declaredOnly(IssueKind.LOW_CONFIDENCE, model, version, e, declared, source, "low_confidence_share");
        }
        double share = num(e, "low_confidence_share", 0);
        Severity s = grade(share, t.lowConfidenceWarningShare(), t.lowConfidenceCriticalShare());
        return new Diagnosis(IssueKind.LOW_CONFIDENCE, s, model, version, e, String.format(Locale.ROOT,
                "%.1f%% of %s's probabilities lie within %.2f of its decision threshold: %s (warning at %.0f%%, critical at %.0f%%).",
                share * 100, label(model, version), num(e, "margin", t.lowConfidenceMargin()), verdict(s),
                t.lowConfidenceWarningShare() * 100, t.lowConfidenceCriticalShare() * 100));
    }

    /**
     * Data quality: the share of logged requests with a missing, invalid or unseen-category value, or
     * of requested rows inference refused as invalid (which never reach the log).
     */
    private Diagnosis dataQuality(String model, Integer version, ObjectNode e, Severity declared, String source) {
        String[] rates = {"invalid_rate", "missing_rate", "unseen_category_rate", "refused_rate"};
        double worst = -1;
        String worstName = null;
        for (String r : rates) {
            if (e.hasNonNull(r) && num(e, r, 0) > worst) {
                worst = num(e, r, 0);
                worstName = r;
            }
        }
        if (worstName == null) {
            return declaredOnly(IssueKind.DATA_QUALITY, model, version, e, declared, source,
                    "invalid_rate, missing_rate, unseen_category_rate or refused_rate");
        }
        Severity s = grade(worst, t.dataQualityWarningRate(), t.dataQualityCriticalRate());
        String rows = worstName.equals("refused_rate")
                ? e.hasNonNull("requested_rows") ? " of " + e.get("requested_rows").asLong() + " requested rows (refused as invalid)" : ""
                : e.hasNonNull("rows") ? " of " + e.get("rows").asLong() + " logged requests" : "";
        return new Diagnosis(IssueKind.DATA_QUALITY, s, model, version, e, String.format(Locale.ROOT,
                "%s is %.1f%%%s to %s: %s (warning at %.0f%%, critical at %.0f%%).", worstName.replace('_', ' '), worst * 100,
                rows, label(model, version), verdict(s), t.dataQualityWarningRate() * 100, t.dataQualityCriticalRate() * 100));
    }

    private static Diagnosis declaredOnly(IssueKind kind, String model, Integer version, ObjectNode e, Severity declared,
                                          String source, String needs) {
        if (declared == null) {
            throw ProblemException.unprocessable("evidence", "A " + kind.wireName() + " signal needs " + needs
                    + " in evidence, or a severity of its own");
        }
        return new Diagnosis(kind, declared, model, version, e, String.format(Locale.ROOT,
                "%s reported %s on %s as %s; the evidence has no numbers for the agent's own rule (%s), so its verdict stands.",
                source, kind.wireName().replace('_', ' '), label(model, version), declared.wireName(), needs));
    }

    private static Severity grade(double value, double warning, double critical) {
        return value >= critical ? Severity.CRITICAL : value >= warning ? Severity.WARNING : null;
    }

    private static String verdict(Severity s) {
        return s == null ? "within bounds" : s.wireName();
    }

    private static Double drop(ObjectNode e, String current, String reference) {
        if (!e.hasNonNull(current) || !e.hasNonNull(reference)) {
            return null;
        }
        return e.get(reference).asDouble() - e.get(current).asDouble();
    }

    private static double num(JsonNode e, String field, double fallback) {
        return e.hasNonNull(field) && e.get(field).isNumber() ? e.get(field).asDouble() : fallback;
    }

    static double round(double v) {
        return Math.round(v * 10000d) / 10000d;
    }

    private static String label(String model, Integer version) {
        return version == null ? model : model + " v" + version;
    }

    private static String join(JsonNode array) {
        if (!array.isArray()) {
            return array.asText();
        }
        StringBuilder sb = new StringBuilder();
        array.forEach(n -> sb.append(sb.length() == 0 ? "" : ", ").append(n.asText()));
        return sb.toString();
    }
}
