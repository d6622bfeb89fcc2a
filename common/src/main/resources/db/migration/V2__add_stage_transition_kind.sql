-- The model history the registry serves holds more than stage changes: a rollback (two stage
-- changes made as one decision) and a change of the decision threshold are audited in the same
-- trail. kind says which; details holds what a stage pair cannot (old and new threshold, the
-- version a promotion archived).
ALTER TABLE stage_transitions
    ADD COLUMN IF NOT EXISTS kind TEXT NOT NULL DEFAULT 'stage'
        CHECK (kind IN ('stage', 'rollback', 'threshold'));
ALTER TABLE stage_transitions
    ADD COLUMN IF NOT EXISTS details JSONB;
