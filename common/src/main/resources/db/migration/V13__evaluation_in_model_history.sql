-- An evaluation recorded as a version's metrics (registry: evaluate?record=true) changes what the
-- deployment gate checks, so it is a row of the model's history like a threshold change: who
-- recorded which data's figures, and when. details holds the data's SHA-256, the rows scored, the
-- label column, whether it wrote the baseline, and the figures it replaced.
ALTER TABLE stage_transitions DROP CONSTRAINT IF EXISTS stage_transitions_kind_check;
ALTER TABLE stage_transitions
    ADD CONSTRAINT stage_transitions_kind_check CHECK (kind IN ('stage', 'rollback', 'threshold', 'evaluation'));
