-- A label belongs to its project's prediction. With request_id unique across projects, a key of one
-- project that labelled another project's request id first kept the owner's own label out (the
-- upsert skips another project's row), and training from feedback joined by request id alone. Unique
-- per (project, request id) instead; every reader joins on both.
ALTER TABLE feedback ADD CONSTRAINT feedback_project_request_key UNIQUE (project_id, request_id);
ALTER TABLE feedback DROP CONSTRAINT IF EXISTS feedback_request_id_key;
