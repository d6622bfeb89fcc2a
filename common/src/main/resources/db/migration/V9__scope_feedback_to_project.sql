-- A label belongs to its project's prediction: unique per (project, request id). Expand first: the
-- request-id-only constraint stays until no pod of the release before this one can run (their
-- upsert names it in ON CONFLICT, and a rollback would bring them back); a later migration drops
-- it. Until then a request id another project labelled first cannot get its own project's label,
-- but every reader joins labels to predictions of the same project only, so such a label reaches
-- nothing of the other project's.
ALTER TABLE feedback ADD CONSTRAINT feedback_project_request_key UNIQUE (project_id, request_id);
