-- predictions_request_idx (request_id) repeated the leading column of the primary key
-- (request_id, predicted_at): every lookup by request id can use the primary key, and the second
-- B-tree cost each logged prediction one more index insertion.
DROP INDEX IF EXISTS predictions_request_idx;
