-- Rows inference-service refused as invalid (422: a missing or unknown feature, a wrong type, a
-- non-finite value, a category never seen in training), per model version, hour, feature and
-- reason. Refused rows never reach the prediction log, so this is what lets the agent's data-quality
-- check see them. Written by inference-service (counts added by upsert), read by agent-service.
CREATE TABLE prediction_rejections (
    project_id    BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    model_name    TEXT        NOT NULL,
    model_version INT         NOT NULL,
    hour          TIMESTAMPTZ NOT NULL,
    feature       TEXT        NOT NULL,
    reason        TEXT        NOT NULL CHECK (reason IN ('unknown', 'missing', 'wrong_type', 'not_finite', 'invalid_category')),
    rows          BIGINT      NOT NULL CHECK (rows > 0),
    PRIMARY KEY (project_id, model_name, model_version, hour, feature, reason)
);
