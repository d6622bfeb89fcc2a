package dev.keel.training.rest;

/** Example bodies for the OpenAPI document. */
final class Examples {

    private Examples() {
    }

    static final String UNAUTHORIZED = """
            {"title": "Unauthorized", "status": 401,
             "detail": "Missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"}""";

    static final String FORBIDDEN = """
            {"title": "Forbidden", "status": 403, "detail": "This needs the write role; the API key 'dashboards' has read"}""";

    static final String DATASET = """
            {"id": 7, "name": "heart-2025-11", "fingerprint": "9f2c1d0b5e7a4c3e8b6d2f1a0c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d",
             "row_count": 10000, "column_count": 14, "target_column": "target", "positive_class": "1",
             "columns": [{"name": "age", "type": "numeric"}, {"name": "sex", "type": "boolean"},
                         {"name": "thal", "type": "categorical", "categories": ["fixed", "normal", "reversible"]},
                         {"name": "target", "type": "boolean"}],
             "validation": {"missing_values": {"age": 0, "sex": 0, "thal": 12, "target": 0}, "duplicate_rows": 3,
                            "constant_columns": [], "class_balance": {"0": 5160, "1": 4840}, "positive_class": "1",
                            "minority_share": 0.484, "min_rows_per_class": 10, "too_few_rows_per_class": false,
                            "trainable": true, "warnings": ["3 rows duplicate an earlier row"]},
             "size_bytes": 412345, "created_by": "ci", "created_at": "2025-11-25T13:00:00Z"}""";

    static final String BAD_CSV = """
            {"title": "Unprocessable content", "status": 422, "field": "chol",
             "detail": "Column 'chol' holds numbers, but line 7 has 'abc'; fix or blank those cells (blank, NA or ? mean missing)"}""";

    static final String START_RUN = """
            {"model_name": "heart-disease", "dataset_id": 7,
             "families": ["gradient_boosting", "leaf_wise", "random_forest", "logistic_regression"],
             "search": {"strategy": "grid", "budget": 16}}""";

    static final String RUN = """
            {"id": 42, "model_name": "heart-disease", "status": "running", "trigger": "manual", "triggered_by": "ci",
             "dataset_id": 7, "dataset_fingerprint": "9f2c1d0b5e7a4c3e8b6d2f1a0c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d",
             "progress": {"phase": "searching", "candidates_done": 5, "candidates_total": 16,
                          "best_so_far": {"candidate": 0, "family": "gradient_boosting", "mean_f1": 0.781,
                                          "params": {"max_depth": 3, "eta": 0.05, "num_boost_round": 100}},
                          "elapsed_ms": 41200, "estimated_remaining_ms": 90500, "worker": "training-7d9f",
                          "heartbeat_at": "2025-11-25T13:00:41Z"},
             "search_space": {"strategy": "grid", "budget": 16, "folds": 5, "test_fraction": 0.2, "seed": 42},
             "created_at": "2025-11-25T13:00:00Z", "started_at": "2025-11-25T13:00:00.4Z"}""";

    static final String FINISHED_RUN = """
            {"id": 42, "model_name": "heart-disease", "status": "rejected", "trigger": "schedule",
             "triggered_by": "scheduler@training-7d9f", "dataset_id": 7,
             "progress": {"phase": "finished", "candidates_done": 16, "candidates_total": 16, "elapsed_ms": 131000,
                          "estimated_remaining_ms": 0},
             "best_params": {"family": "gradient_boosting", "params": {"max_depth": 3, "eta": 0.05}, "mean_f1": 0.781,
                             "threshold": 0.41},
             "test_metrics": {"accuracy": 0.79, "precision": 0.77, "recall": 0.8, "f1": 0.785, "roc_auc": 0.86,
                              "confusion_matrix": [[800, 232], [194, 774]], "threshold": 0.41},
             "roc_curve": [[0.0, 0.0], [0.0, 0.12], [0.05, 0.46], [0.22, 0.8], [0.51, 0.95], [1.0, 1.0]],
             "gate_result": {"promoted": false, "stage": "staging",
                             "reason": "Kept in staging: test F1 0.7850 vs production v3's 0.7830 on the same 2000 held-out rows: a lead of +0.0020, short of the margin 0.0100",
                             "checks": [{"name": "min_f1", "passed": true, "detail": "test F1 0.7850 meets the quality gate's 0.7500"},
                                        {"name": "beats_production", "passed": false, "detail": "..."}],
                             "champion_version": 3, "champion_f1": 0.783, "challenger_f1": 0.785, "min_f1": 0.75,
                             "champion_margin": 0.01},
             "registered_version": 4, "duration_ms": 131000}""";

    static final String RETRAIN = """
            {"trigger": "agent", "reason": "drift on chol (PSI 0.31)"}""";

    static final String QUEUE_FULL = """
            {"title": "Service unavailable", "status": 503, "detail": "The training queue is full (16 runs waiting); retry later"}""";
}
