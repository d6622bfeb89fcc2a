package dev.keel.agent.domain;

import static dev.keel.agent.domain.AgentAction.ADJUST_THRESHOLD;
import static dev.keel.agent.domain.AgentAction.COLLECT_DIAGNOSTICS;
import static dev.keel.agent.domain.AgentAction.GENERATE_REPORT;
import static dev.keel.agent.domain.AgentAction.RETRAIN_MODEL;
import static dev.keel.agent.domain.AgentAction.ROLLBACK_MODEL;
import static dev.keel.agent.domain.AgentAction.SEND_ALERT;
import static dev.keel.agent.domain.AgentAction.VALIDATE_DATA;

import java.util.List;

/**
 * Which actions an issue of a kind and severity calls for, in the order they are taken (the alert
 * first, so every other action links to it). The README's policy table is this method.
 */
public final class RemediationPolicy {

    private RemediationPolicy() {
    }

    public static List<AgentAction> plan(IssueKind kind, Severity severity) {
        if (severity == Severity.INFO) {
            return List.of(SEND_ALERT);
        }
        boolean critical = severity == Severity.CRITICAL;
        return switch (kind) {
            // drift alone does not prove the model is worse: report, and retrain only when it is severe
            case DATA_DRIFT -> critical ? List.of(SEND_ALERT, GENERATE_REPORT, RETRAIN_MODEL)
                    : List.of(SEND_ALERT, GENERATE_REPORT);
            // measured quality loss: a fresh model, or when severe the last good one
            case PERFORMANCE_DEGRADATION -> critical ? List.of(SEND_ALERT, COLLECT_DIAGNOSTICS, ROLLBACK_MODEL)
                    : List.of(SEND_ALERT, COLLECT_DIAGNOSTICS, RETRAIN_MODEL);
            // the cut-off no longer matches the traffic: move it back; when severe, the last good model
            case PREDICTION_ANOMALY -> critical ? List.of(SEND_ALERT, COLLECT_DIAGNOSTICS, ROLLBACK_MODEL)
                    : List.of(SEND_ALERT, COLLECT_DIAGNOSTICS, ADJUST_THRESHOLD);
            case LOW_CONFIDENCE -> critical ? List.of(SEND_ALERT, COLLECT_DIAGNOSTICS, RETRAIN_MODEL)
                    : List.of(SEND_ALERT, COLLECT_DIAGNOSTICS);
            // bad inputs are fixed upstream, not by another model
            case DATA_QUALITY -> critical ? List.of(SEND_ALERT, VALIDATE_DATA, GENERATE_REPORT)
                    : List.of(SEND_ALERT, VALIDATE_DATA);
        };
    }
}
