-- Keel's one schema. Each table names its owning service: only that service writes it;
-- others read it directly where a REST hop would cost too much (api_keys on the inference
-- hot path, predictions for drift) and otherwise ask the owner over REST.
-- Enumerations are TEXT with CHECK constraints so a later migration can widen them in place.

-- registry-service ---------------------------------------------------------------------------

CREATE TABLE projects (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    description     TEXT        NOT NULL DEFAULT '',
    -- deployment-gate thresholds, e.g. {"f1": 0.75}; a model may override them
    gate_thresholds JSONB       NOT NULL DEFAULT '{"f1": 0.75}',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           BIGSERIAL PRIMARY KEY,
    project_id   BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    role         TEXT        NOT NULL CHECK (role IN ('read', 'write', 'approver', 'admin')),
    -- the first characters of the key, shown in listings so people can tell keys apart
    key_prefix   TEXT        NOT NULL,
    -- SHA-256 of the whole key (hex); the key itself is never stored
    key_hash     TEXT        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    UNIQUE (project_id, name)
);

CREATE TABLE registered_models (
    id              BIGSERIAL PRIMARY KEY,
    project_id      BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name            TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
    description     TEXT        NOT NULL DEFAULT '',
    tags            JSONB       NOT NULL DEFAULT '{}',
    -- overrides of the project's gate thresholds; NULL means "use the project's"
    gate_thresholds JSONB,
    -- cron of the weekly retraining; NULL means the service default
    retrain_cron    TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (project_id, name)
);

-- training-service (declared before model_versions, which records lineage to a run) ---------

CREATE TABLE datasets (
    id            BIGSERIAL PRIMARY KEY,
    project_id    BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          TEXT        NOT NULL,
    -- SHA-256 (hex) of the uploaded bytes
    fingerprint   TEXT        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    row_count     BIGINT      NOT NULL CHECK (row_count >= 0),
    column_count  INT         NOT NULL CHECK (column_count >= 0),
    target_column TEXT        NOT NULL,
    -- [{"name": ..., "type": "numeric|categorical|boolean", "categories": [...]}]
    columns       JSONB       NOT NULL,
    -- missing values, duplicates, constant columns, class balance, warnings
    validation    JSONB       NOT NULL,
    size_bytes    BIGINT      NOT NULL CHECK (size_bytes >= 0),
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS datasets_project_created_idx ON datasets (project_id, created_at DESC);
CREATE INDEX IF NOT EXISTS datasets_fingerprint_idx ON datasets (fingerprint);

-- dataset bytes apart from their metadata, so listing datasets never reads them
CREATE TABLE dataset_contents (
    dataset_id BIGINT PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
    content    BYTEA NOT NULL
);

CREATE TABLE training_runs (
    id                  BIGSERIAL PRIMARY KEY,
    project_id          BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    model_name          TEXT        NOT NULL,
    dataset_id          BIGINT REFERENCES datasets (id) ON DELETE SET NULL,
    dataset_fingerprint TEXT,
    trigger             TEXT        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'agent')),
    triggered_by        TEXT        NOT NULL,
    status              TEXT        NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'rejected', 'cancelled')),
    phase               TEXT,
    search_space        JSONB       NOT NULL DEFAULT '{}',
    -- per candidate: family, parameters, per-fold metrics, mean F1
    candidates          JSONB       NOT NULL DEFAULT '[]',
    best_params         JSONB,
    test_metrics        JSONB,
    -- candidates done/total, best so far, estimated remaining
    progress            JSONB       NOT NULL DEFAULT '{}',
    gate_result         JSONB,
    -- the version the run registered (no FK: versions live in the registry's tables)
    registered_version  INT,
    error               TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    duration_ms         BIGINT
);
CREATE INDEX IF NOT EXISTS training_runs_project_model_idx ON training_runs (project_id, model_name, created_at DESC);
CREATE INDEX IF NOT EXISTS training_runs_active_idx ON training_runs (status) WHERE status IN ('queued', 'running');

-- registry-service, continued ------------------------------------------------------------------

CREATE TABLE model_versions (
    id                  BIGSERIAL PRIMARY KEY,
    model_id            BIGINT      NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    version             INT         NOT NULL CHECK (version > 0),
    stage               TEXT        NOT NULL DEFAULT 'none'
        CHECK (stage IN ('none', 'staging', 'production', 'archived')),
    algorithm           TEXT        NOT NULL,
    params              JSONB       NOT NULL DEFAULT '{}',
    -- accuracy, precision, recall, f1, roc_auc, confusion_matrix, threshold
    metrics             JSONB       NOT NULL DEFAULT '{}',
    -- [{"name": ..., "type": ..., "categories": [...]}] in the model's input order
    feature_schema      JSONB       NOT NULL DEFAULT '[]',
    -- per-feature reference statistics of the training data, for drift detection
    baseline_stats      JSONB,
    -- prediction = probability >= decision_threshold
    decision_threshold  DOUBLE PRECISION NOT NULL DEFAULT 0.5
        CHECK (decision_threshold >= 0 AND decision_threshold <= 1),
    training_run_id     BIGINT REFERENCES training_runs (id) ON DELETE SET NULL,
    dataset_fingerprint TEXT,
    artifact_format     TEXT        NOT NULL DEFAULT 'xgboost-json',
    artifact_sha256     TEXT        NOT NULL CHECK (artifact_sha256 ~ '^[0-9a-f]{64}$'),
    artifact_size       BIGINT      NOT NULL CHECK (artifact_size > 0),
    -- NULL while the bytes live in model_artifacts; an object-store URI otherwise
    artifact_location   TEXT,
    description         TEXT        NOT NULL DEFAULT '',
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    stage_changed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (model_id, version)
);
-- exactly one production version per model, whatever the code does
CREATE UNIQUE INDEX IF NOT EXISTS model_versions_one_production_idx
    ON model_versions (model_id) WHERE stage = 'production';
CREATE INDEX IF NOT EXISTS model_versions_stage_idx ON model_versions (stage, model_id);

CREATE TABLE model_artifacts (
    version_id BIGINT PRIMARY KEY REFERENCES model_versions (id) ON DELETE CASCADE,
    content    BYTEA NOT NULL
);

-- the audit trail of every stage change
CREATE TABLE stage_transitions (
    id          BIGSERIAL PRIMARY KEY,
    model_id    BIGINT      NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    version_id  BIGINT      NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    version     INT         NOT NULL,
    from_stage  TEXT        NOT NULL CHECK (from_stage IN ('none', 'staging', 'production', 'archived')),
    to_stage    TEXT        NOT NULL CHECK (to_stage IN ('none', 'staging', 'production', 'archived')),
    actor       TEXT        NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    gate_result JSONB,
    forced      BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stage_transitions_model_idx ON stage_transitions (model_id, created_at DESC);

-- inference-service ----------------------------------------------------------------------------

-- The table that grows without bound: range-partitioned by day from the start, partitions made
-- ahead by keel_create_prediction_partitions() and dropped by keel_drop_prediction_partitions().
-- The default partition catches any row whose day has no partition yet, so no insert ever fails.
CREATE TABLE predictions (
    request_id    UUID             NOT NULL,
    predicted_at  TIMESTAMPTZ      NOT NULL,
    project_id    BIGINT           NOT NULL,
    model_name    TEXT             NOT NULL,
    model_version INT              NOT NULL,
    features      JSONB            NOT NULL,
    prediction    DOUBLE PRECISION NOT NULL,
    probability   DOUBLE PRECISION,
    -- per-class probabilities of multi-class models
    outputs       JSONB,
    latency_us    INT              NOT NULL CHECK (latency_us >= 0),
    api_key_name  TEXT,
    PRIMARY KEY (request_id, predicted_at)
) PARTITION BY RANGE (predicted_at);
CREATE TABLE predictions_default PARTITION OF predictions DEFAULT;
CREATE INDEX IF NOT EXISTS predictions_model_time_idx ON predictions (project_id, model_name, model_version, predicted_at);
CREATE INDEX IF NOT EXISTS predictions_request_idx ON predictions (request_id);

-- Ground truth arrives later than (and sometimes before the flush of) its prediction, so it
-- joins by request id and has no foreign key into the partitioned log.
CREATE TABLE feedback (
    id          BIGSERIAL PRIMARY KEY,
    request_id  UUID             NOT NULL UNIQUE,
    project_id  BIGINT           NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    label       DOUBLE PRECISION NOT NULL,
    source      TEXT             NOT NULL DEFAULT 'api',
    received_at TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS feedback_project_received_idx ON feedback (project_id, received_at);

CREATE FUNCTION keel_create_prediction_partitions(days_ahead INT) RETURNS INT
    LANGUAGE plpgsql AS
$$
DECLARE
    day     DATE;
    part    TEXT;
    created INT := 0;
BEGIN
    -- one caller at a time across replicas
    PERFORM pg_advisory_xact_lock(hashtext('keel_prediction_partitions'));
    FOR i IN 0..days_ahead LOOP
        day := (now() AT TIME ZONE 'UTC')::date + i;
        part := 'predictions_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(part) IS NULL THEN
            BEGIN
                EXECUTE format('CREATE TABLE %I PARTITION OF predictions FOR VALUES FROM (%L) TO (%L)',
                               part, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
                created := created + 1;
            EXCEPTION WHEN check_violation THEN
                -- rows for that day already sit in the default partition; they stay there
                RAISE WARNING 'partition % skipped: the default partition holds rows of that day', part;
            END;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

CREATE FUNCTION keel_drop_prediction_partitions(retain_days INT) RETURNS INT
    LANGUAGE plpgsql AS
$$
DECLARE
    part    RECORD;
    cutoff  DATE := (now() AT TIME ZONE 'UTC')::date - retain_days;
    dropped INT  := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('keel_prediction_partitions'));
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
                 JOIN pg_class c ON c.oid = i.inhrelid
                 JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'predictions'
          AND c.relname ~ '^predictions_p[0-9]{8}$'
    LOOP
        IF to_date(substr(part.relname, 14), 'YYYYMMDD') < cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END;
$$;

SELECT keel_create_prediction_partitions(7);

-- drift-service --------------------------------------------------------------------------------

CREATE TABLE drift_reports (
    id             BIGSERIAL PRIMARY KEY,
    project_id     BIGINT           NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    model_name     TEXT             NOT NULL,
    model_version  INT              NOT NULL,
    window_start   TIMESTAMPTZ,
    window_end     TIMESTAMPTZ,
    reference_rows BIGINT           NOT NULL CHECK (reference_rows >= 0),
    current_rows   BIGINT           NOT NULL CHECK (current_rows >= 0),
    dataset_drift  BOOLEAN          NOT NULL,
    drift_share    DOUBLE PRECISION NOT NULL CHECK (drift_share >= 0 AND drift_share <= 1),
    drift_score    DOUBLE PRECISION NOT NULL CHECK (drift_score >= 0 AND drift_score <= 1),
    severity       TEXT             NOT NULL CHECK (severity IN ('none', 'warning', 'critical')),
    trigger        TEXT             NOT NULL CHECK (trigger IN ('manual', 'schedule', 'agent')),
    -- per-feature method, statistic, p-value, score, drifted, histograms
    report         JSONB            NOT NULL,
    created_at     TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS drift_reports_model_idx ON drift_reports (project_id, model_name, created_at DESC);

CREATE TABLE performance_metrics (
    id                   BIGSERIAL PRIMARY KEY,
    project_id           BIGINT           NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    model_name           TEXT             NOT NULL,
    model_version        INT              NOT NULL,
    bucket_start         TIMESTAMPTZ      NOT NULL,
    bucket_end           TIMESTAMPTZ      NOT NULL CHECK (bucket_end > bucket_start),
    -- realized from feedback labels, or estimated (confidence-based) before labels arrive
    kind                 TEXT             NOT NULL CHECK (kind IN ('realized', 'estimated')),
    sample_count         BIGINT           NOT NULL CHECK (sample_count >= 0),
    accuracy             DOUBLE PRECISION,
    precision_score      DOUBLE PRECISION,
    recall               DOUBLE PRECISION,
    f1                   DOUBLE PRECISION,
    roc_auc              DOUBLE PRECISION,
    mean_probability     DOUBLE PRECISION,
    positive_rate        DOUBLE PRECISION,
    low_confidence_share DOUBLE PRECISION,
    created_at           TIMESTAMPTZ      NOT NULL DEFAULT now(),
    UNIQUE (project_id, model_name, model_version, kind, bucket_start)
);

-- agent-service --------------------------------------------------------------------------------

CREATE TABLE alerts (
    id              BIGSERIAL PRIMARY KEY,
    project_id      BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    model_name      TEXT,
    kind            TEXT        NOT NULL CHECK (kind IN ('data_drift', 'performance_degradation',
                                                         'prediction_anomaly', 'low_confidence',
                                                         'data_quality', 'agent', 'system')),
    severity        TEXT        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    status          TEXT        NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'acknowledged', 'resolved')),
    title           TEXT        NOT NULL,
    message         TEXT        NOT NULL DEFAULT '',
    evidence        JSONB       NOT NULL DEFAULT '{}',
    source          TEXT        NOT NULL,
    occurrences     INT         NOT NULL DEFAULT 1 CHECK (occurrences > 0),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    acknowledged_by TEXT,
    acknowledged_at TIMESTAMPTZ,
    resolved_by     TEXT,
    resolved_at     TIMESTAMPTZ
);
-- one open alert per model and kind: a repeat bumps occurrences instead
CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_dedup_idx
    ON alerts (project_id, coalesce(model_name, ''), kind) WHERE status <> 'resolved';
CREATE INDEX IF NOT EXISTS alerts_project_status_idx ON alerts (project_id, status, created_at DESC);

CREATE TABLE agent_actions (
    id               BIGSERIAL PRIMARY KEY,
    project_id       BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    model_name       TEXT,
    issue_kind       TEXT        NOT NULL CHECK (issue_kind IN ('data_drift', 'performance_degradation',
                                                                'prediction_anomaly', 'low_confidence',
                                                                'data_quality')),
    severity         TEXT        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    action           TEXT        NOT NULL CHECK (action IN ('send_alert', 'collect_diagnostics', 'validate_data',
                                                            'generate_report', 'adjust_threshold',
                                                            'retrain_model', 'rollback_model')),
    risk             TEXT        NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    status           TEXT        NOT NULL
        CHECK (status IN ('pending_approval', 'approved', 'rejected', 'expired', 'running',
                          'succeeded', 'failed', 'skipped')),
    dry_run          BOOLEAN     NOT NULL DEFAULT FALSE,
    params           JSONB       NOT NULL DEFAULT '{}',
    evidence         JSONB       NOT NULL DEFAULT '{}',
    explanation      TEXT        NOT NULL,
    result           JSONB,
    alert_id         BIGINT REFERENCES alerts (id) ON DELETE SET NULL,
    proposed_by      TEXT        NOT NULL,
    decided_by       TEXT,
    decision_comment TEXT,
    decided_at       TIMESTAMPTZ,
    expires_at       TIMESTAMPTZ,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS agent_actions_project_created_idx ON agent_actions (project_id, created_at DESC);
CREATE INDEX IF NOT EXISTS agent_actions_pending_idx ON agent_actions (expires_at) WHERE status = 'pending_approval';
CREATE INDEX IF NOT EXISTS agent_actions_cooldown_idx ON agent_actions (project_id, model_name, action, created_at DESC);

-- every service ----------------------------------------------------------------------------------

-- Leases for scheduled jobs, so that with several replicas only one runs a given job at a time.
CREATE TABLE job_leases (
    job_name    TEXT PRIMARY KEY,
    holder      TEXT        NOT NULL,
    lease_until TIMESTAMPTZ NOT NULL,
    last_run_at TIMESTAMPTZ
);
