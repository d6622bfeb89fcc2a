package dev.keel.agent.rest;

/** Request and response examples for the OpenAPI document. */
final class Examples {

    private Examples() {
    }

    static final String SIGNAL = """
            {"kind": "performance_degradation", "model_name": "churn", "source": "grafana",
             "evidence": {"f1": 0.61, "accuracy": 0.7, "sample_count": 240}}""";

    static final String ACTION = """
            {"id": 42, "model_name": "churn", "issue_kind": "performance_degradation", "severity": "critical",
             "action": "rollback_model", "risk": "high", "status": "pending_approval", "dry_run": false,
             "params": {"model_version": 3}, "evidence": {"f1": 0.61, "reference_f1": 0.84, "drop": 0.23},
             "explanation": "F1 of churn v3 is 0.610 on 240 labelled predictions against 0.840 recorded at training: a drop of 0.230, critical (warning at 0.05, critical at 0.15).",
             "result": null, "alert_id": 7, "proposed_by": "agent", "decided_by": null, "decision_comment": null,
             "decided_at": null, "expires_at": "2025-11-26T13:00:00Z", "started_at": null, "finished_at": null,
             "created_at": "2025-11-25T13:00:00Z"}""";

    static final String ACTIONS = "{\"items\": [" + ACTION + "], \"page\": 0, \"size\": 20, \"total\": 1}";

    static final String DIAGNOSIS = """
            {"kind": "performance_degradation", "severity": "critical", "issue_detected": true, "model_name": "churn",
             "model_version": 3, "explanation": "F1 of churn v3 is 0.610 ...", "evidence": {"f1": 0.61, "reference_f1": 0.84},
             "actions": [""" + ACTION + "]}";

    static final String ALERTS = """
            {"items": [{"id": 7, "model_name": "churn", "kind": "performance_degradation", "severity": "critical",
              "status": "acknowledged", "title": "Performance degradation in churn", "message": "F1 of churn v3 is 0.610 ...",
              "evidence": {"f1": 0.61, "reference_f1": 0.84}, "source": "agent-service", "occurrences": 2,
              "created_at": "2025-11-25T13:00:00Z", "last_seen_at": "2025-11-25T14:00:00Z", "acknowledged_by": "on-call",
              "acknowledged_at": "2025-11-25T13:05:00Z", "resolved_by": null, "resolved_at": null}],
             "page": 0, "size": 20, "total": 1}""";
}
