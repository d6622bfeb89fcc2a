package dev.keel.registry.rest;

/** JSON examples for the OpenAPI document, written as a client sees them. */
final class Examples {

    private Examples() {
    }

    static final String CREATE_PROJECT = """
            {"name": "churn-team", "description": "Customer churn models", "gate_thresholds": {"f1": 0.75}}""";

    static final String PROJECT = """
            {"name": "churn-team", "description": "Customer churn models", "gate_thresholds": {"f1": 0.75},
             "created_at": "2025-11-25T12:00:00Z"}""";

    static final String PROJECTS = "[" + PROJECT + "]";

    static final String UPDATE_PROJECT = """
            {"gate_thresholds": {"f1": 0.8, "roc_auc": 0.85}}""";

    static final String CREATE_KEY = """
            {"name": "ci-pipeline", "role": "write", "expires_at": "2026-06-30T00:00:00Z"}""";

    static final String CREATED_KEY = """
            {"name": "ci-pipeline", "role": "write", "key": "keel_3kTf9QmZ2xVbN7cWpL4hR8sJd1Ye6GuA0oKiMnBq",
             "prefix": "keel_3kTf9Q", "expires_at": "2026-06-30T00:00:00Z", "created_at": "2025-11-25T12:00:00Z",
             "created_by": "bootstrap-admin"}""";

    static final String KEYS = """
            [{"name": "ci-pipeline", "role": "write", "prefix": "keel_3kTf9Q", "status": "active",
              "created_by": "bootstrap-admin", "created_at": "2025-11-25T12:00:00Z",
              "expires_at": "2026-06-30T00:00:00Z", "revoked_at": null, "last_used_at": "2025-11-25T12:05:00Z"}]""";

    static final String CREATE_MODEL = """
            {"name": "churn", "description": "Monthly churn classifier", "tags": {"team": "retention"}}""";

    static final String MODEL = """
            {"name": "churn", "project": "churn-team", "description": "Monthly churn classifier",
             "tags": {"team": "retention"}, "gate_thresholds": null, "effective_gate_thresholds": {"f1": 0.75},
             "retrain_cron": "0 0 3 ? * MON", "retrain_source": "auto", "latest_version": 3, "production_version": 2,
             "created_at": "2025-11-25T12:00:00Z", "updated_at": "2025-11-25T12:30:00Z"}""";

    static final String MODELS = "{\"items\": [" + MODEL + "], \"page\": 0, \"size\": 20, \"total\": 1}";

    static final String UPDATE_MODEL = """
            {"description": "Churn within 30 days", "tags": {"team": "retention", "tier": "gold"},
             "gate_thresholds": {"f1": 0.8}, "retrain_cron": "0 0 3 ? * MON", "retrain_source": "feedback"}""";

    static final String METADATA = """
            {"algorithm": "xgboost-gbtree", "params": {"max_depth": 3, "eta": 0.3, "num_boost_round": 25},
             "metrics": {"accuracy": 0.84, "precision": 0.81, "recall": 0.78, "f1": 0.79, "roc_auc": 0.9,
                         "confusion_matrix": [[140, 18], [22, 120]], "threshold": 0.5},
             "feature_schema": [{"name": "tenure_months", "type": "numeric"},
                                {"name": "monthly_charges", "type": "numeric"},
                                {"name": "support_calls", "type": "numeric"},
                                {"name": "has_contract", "type": "boolean"},
                                {"name": "plan", "type": "categorical", "categories": ["basic", "standard", "premium"]}],
             "baseline_stats": {"tenure_months": {"min": 0, "max": 71, "mean": 35.2}},
             "training_run_id": null, "dataset_fingerprint": "9f2c1e0b7a...", "description": "weekly retrain"}""";

    static final String VERSION = """
            {"model": "churn", "version": 3, "stage": "none", "algorithm": "xgboost-gbtree",
             "params": {"max_depth": 3, "eta": 0.3, "objective": "binary:logistic"},
             "metrics": {"accuracy": 0.84, "precision": 0.81, "recall": 0.78, "f1": 0.79, "roc_auc": 0.9,
                         "confusion_matrix": [[140, 18], [22, 120]], "threshold": 0.5},
             "feature_schema": [{"name": "tenure_months", "type": "numeric"},
                                {"name": "plan", "type": "categorical", "categories": ["basic", "standard", "premium"]}],
             "baseline_stats": {"tenure_months": {"min": 0, "max": 71}}, "decision_threshold": 0.5,
             "training_run_id": null, "dataset_fingerprint": "9f2c1e0b7a...", "description": "weekly retrain",
             "artifact": {"format": "xgboost-json", "sha256": "5d41402abc4b2a76b9719d911017c592ae2f5c1e3a1b0b6f3e5a1c2d3e4f5a6b",
                          "size": 30699, "download": "/api/v1/models/churn/versions/3/artifact"},
             "created_by": "ci-pipeline", "created_at": "2025-11-25T12:30:00Z", "stage_changed_at": "2025-11-25T12:30:00Z"}""";

    static final String VERSIONS = "{\"items\": [" + VERSION + "], \"page\": 0, \"size\": 20, \"total\": 1}";

    static final String UPDATE_VERSION = """
            {"decision_threshold": 0.42, "reason": "recall dropped; agent lowered the cut-off"}""";

    static final String STAGE_CHANGE = """
            {"stage": "production", "reason": "beats v2 on last month's data", "force": false,
             "expected_production_version": 2}""";

    static final String TRANSITION = """
            {"model": "churn", "version": 3, "kind": "stage", "from_stage": "staging", "to_stage": "production",
             "actor": "ci-pipeline", "reason": "beats v2 on last month's data", "forced": false,
             "gate_result": {"passed": true, "forced": false, "thresholds": {"f1": 0.75},
               "checks": [{"name": "artifact_checksum", "passed": true, "detail": "SHA-256 matches 5d41..."},
                          {"name": "artifact_loads", "passed": true, "detail": "loads as XgbModel[gbtree, binary:logistic, 5 features, 25 trees]"},
                          {"name": "feature_schema", "passed": true, "detail": "5 features"},
                          {"name": "smoke_predictions", "passed": true, "detail": "64 rows predicted, outputs 0.02 to 0.97"},
                          {"name": "metric_f1", "passed": true, "detail": "f1 0.7900 >= 0.7500"}]},
             "details": {"archived_version": 2}, "created_at": "2025-11-25T12:40:00Z"}""";

    static final String HISTORY = "{\"items\": [" + TRANSITION + "], \"page\": 0, \"size\": 20, \"total\": 1}";

    static final String GATE_FAILED = """
            {"title": "Conflict", "status": 409,
             "detail": "The deployment gate refused churn v3: 2 failed check(s): smoke_predictions, metric_f1",
             "errors": [{"field": "smoke_predictions", "message": "prediction on the smoke set failed: ..."},
                        {"field": "metric_f1", "message": "f1 0.6100 is below the threshold 0.7500"}]}""";

    static final String ROLLBACK = """
            {"reason": "v3 misclassifies new customers", "from_version": 3, "to_version": null}""";

    static final String ROLLBACK_RESULT = """
            {"from_version": 3, "to_version": 2, "transitions": [
              {"model": "churn", "version": 3, "kind": "rollback", "from_stage": "production", "to_stage": "archived",
               "actor": "on-call", "reason": "v3 misclassifies new customers", "forced": false, "gate_result": null,
               "details": {"rolled_back_to": 2}, "created_at": "2025-11-25T13:00:00Z"},
              {"model": "churn", "version": 2, "kind": "rollback", "from_stage": "archived", "to_stage": "production",
               "actor": "on-call", "reason": "v3 misclassifies new customers", "forced": false,
               "gate_result": {"passed": true, "forced": false, "thresholds": {}, "checks": []},
               "details": {"rolled_back_from": 3}, "created_at": "2025-11-25T13:00:00Z"}]}""";

    static final String DEPLOYMENT = """
            {"project": "churn-team", "model": "churn", "version": 2, "stage": "production",
             "algorithm": "xgboost-gbtree", "objective": "binary:logistic", "decision_threshold": 0.5,
             "feature_schema": [{"name": "tenure_months", "type": "numeric"},
                                {"name": "plan", "type": "categorical", "categories": ["basic", "standard", "premium"]}],
             "metrics": {"f1": 0.79, "roc_auc": 0.9},
             "artifact": {"format": "xgboost-json", "sha256": "5d41402abc4b2a76b9719d911017c592ae2f5c1e3a1b0b6f3e5a1c2d3e4f5a6b",
                          "size": 30699, "download": "/api/v1/models/churn/versions/2/artifact"},
             "stage_changed_at": "2025-11-25T13:00:00Z"}""";

    static final String PRODUCTION_VERSIONS = "{\"versions\": [" + DEPLOYMENT + "]}";

    static final String EVALUATION = """
            {"model": "churn", "version": 3, "task": "binary", "target": "churned", "rows": 300, "positives": 131,
             "metrics": {"accuracy": 0.82, "precision": 0.8, "recall": 0.79, "f1": 0.795, "roc_auc": 0.89,
                         "confusion_matrix": [[142, 27], [27, 104]], "threshold": 0.5}}""";

    static final String EVALUATION_RECORDED = """
            {"model": "churn", "version": 3, "task": "binary", "target": "churned", "rows": 300, "positives": 131,
             "metrics": {"accuracy": 0.82, "precision": 0.8, "recall": 0.79, "f1": 0.795, "roc_auc": 0.89,
                         "confusion_matrix": [[142, 27], [27, 104]], "threshold": 0.5,
                         "measured_by_evaluation": {"recorded_by": "ci", "recorded_at": "2025-03-02T10:15:00Z",
                             "data_sha256": "5d1c0e9b7a3f4e2d8c6b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d",
                             "rows": 300, "target": "churned", "baseline_stats_recorded": true}},
             "recorded": true}""";

    static final String RECORD_REFUSED = """
            {"title": "Conflict", "status": 409, "field": "record",
             "detail": "record: churn v3 is in production; the metrics it was promoted on are kept. Evaluate it without record=true, or record them on a new version of the same artifact"}""";

    static final String BAD_CSV = """
            {"title": "Unprocessable content", "status": 422, "field": "monthly_charges",
             "detail": "row 7, column 'monthly_charges': 'abc' is not a number",
             "errors": [{"field": "monthly_charges", "message": "row 7, column 'monthly_charges': 'abc' is not a number"}]}""";

    static final String BAD_ARTIFACT = """
            {"title": "Unprocessable content", "status": 422, "field": "artifact",
             "detail": "artifact: not a usable XGBoost model: JSON document is not an XGBoost model: it has no 'learner' object"}""";

    static final String UNAUTHORIZED = """
            {"title": "Unauthorized", "status": 401, "detail": "Invalid API key"}""";

    static final String FORBIDDEN = """
            {"title": "Forbidden", "status": 403, "detail": "This needs the write role; the API key 'dashboard' has read"}""";

    static final String NOT_FOUND = """
            {"title": "Not found", "status": 404, "detail": "Model 'churn' does not exist"}""";
}
