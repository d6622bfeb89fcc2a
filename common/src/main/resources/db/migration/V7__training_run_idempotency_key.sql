-- A client that starts a training run may send an Idempotency-Key header (the IETF httpapi draft):
-- the same key again in the same project answers the run the first request made instead of queueing
-- another, so a client (the agent among them) can resend a request whose answer it never got.
-- request_fingerprint is a SHA-256 of what was asked (endpoint, model and body): a key sent again
-- with another request is refused instead of answering a run that was not asked for.
ALTER TABLE training_runs ADD COLUMN idempotency_key TEXT, ADD COLUMN request_fingerprint TEXT;
CREATE UNIQUE INDEX training_runs_idempotency_idx ON training_runs (project_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
