package dev.keel.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.domain.Severity;
import dev.keel.agent.repository.ActionRecord;
import dev.keel.agent.repository.AlertRepository;
import dev.keel.agent.repository.MonitoringFacts;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * An issue reported from outside (drift-service, an external monitor): the evidence is completed
 * from the shared schema where it names things the agent can look up (a drift report, the
 * production version's test metrics), judged by the rule of its kind, then remediated.
 */
@ApplicationScoped
public class SignalService {

    /** A judged signal and the actions it led to. */
    public record Outcome(Diagnosis diagnosis, List<ActionRecord> actions) {
    }

    private final DiagnosisRules rules;
    private final ActionService actions;
    private final MonitoringFacts facts;
    private final AlertRepository alerts;

    public SignalService(DiagnosisRules rules, ActionService actions, MonitoringFacts facts, AlertRepository alerts) {
        this.rules = rules;
        this.actions = actions;
        this.facts = facts;
        this.alerts = alerts;
    }

    public Outcome handle(ProjectRef project, IssueKind kind, Severity declared, String model, Integer version,
                          ObjectNode evidence, String source, Long alertId, boolean dryRun, String reportedBy) {
        SignalEvidence.check(kind, evidence);
        if (alertId != null && alerts.find(project.id(), alertId).isEmpty()) {
            throw ProblemException.unprocessable("alert_id", "Alert " + alertId + " does not exist in project " + project.name());
        }
        evidence.put("source", source);
        evidence.put("reported_by", reportedBy);
        complete(project, kind, model, evidence);
        Integer v = version != null ? version : evidence.hasNonNull("model_version") ? evidence.get("model_version").asInt() : null;
        Diagnosis d = rules.judge(kind, model, v, evidence, declared, source);
        if (!d.detected()) {
            return new Outcome(d, List.of());
        }
        return new Outcome(d, actions.remediate(project.id(), project.name(), d, dryRun, ActionService.AGENT, alertId));
    }

    private void complete(ProjectRef project, IssueKind kind, String model, ObjectNode e) {
        if (kind == IssueKind.DATA_DRIFT && !e.hasNonNull("dataset_drift") && e.hasNonNull("report_id")) {
            JsonNode id = e.get("report_id");   // a whole number from 1 (SignalEvidence)
            MonitoringFacts.DriftVerdict r = facts.driftReport(project.id(), id.asLong()).orElseThrow(() ->
                    ProblemException.unprocessable("evidence.report_id", "Drift report " + id.asLong()
                            + " does not exist in project " + project.name()));
            e.put("dataset_drift", r.datasetDrift());
            e.put("drift_share", r.driftShare());
            e.put("drift_score", r.driftScore());
            e.put("severity", r.severity());
            e.put("model_version", r.modelVersion());
            e.put("current_rows", r.currentRows());
        }
        if (kind == IssueKind.PERFORMANCE_DEGRADATION && (!e.hasNonNull("reference_f1")
                || !e.hasNonNull("reference_accuracy") || !e.hasNonNull("reference_rmse"))) {
            facts.productionVersion(project.id(), model).ifPresent(v -> {
                for (String metric : List.of("f1", "accuracy", "rmse")) {
                    if (!e.hasNonNull("reference_" + metric) && v.metrics().hasNonNull(metric)) {
                        e.put("reference_" + metric, v.metrics().get(metric).asDouble());
                    }
                }
                if (!e.hasNonNull("model_version")) {
                    e.put("model_version", v.version());
                }
            });
        }
        // every diagnosis names the version it is about, so a rollback it leads to names the version
        // it rolls back (and a retried rollback cannot take a second step back)
        if (!e.hasNonNull("model_version") && model != null) {
            facts.productionVersion(project.id(), model).ifPresent(v -> e.put("model_version", v.version()));
        }
    }
}
