-- agent-service asks, on every signal about an alert, whether any of its actions refers to the alert
-- (has the agent announced it yet?) and what its last send_alert on it said; and deleting an alert
-- sets alert_id to NULL in the rows that refer to it. Without an index each is a scan of every
-- action the project ever took.
CREATE INDEX IF NOT EXISTS agent_actions_alert_idx ON agent_actions (alert_id) WHERE alert_id IS NOT NULL;
