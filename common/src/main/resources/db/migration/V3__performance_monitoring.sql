-- drift-service: what performance monitoring keeps beside each bucket's metrics. The confusion
-- matrix (expected counts for estimated rows) lets a longer window's metrics be summed exactly
-- from its buckets; labelled_count says how many of sample_count had feedback.
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS labelled_count BIGINT NOT NULL DEFAULT 0 CHECK (labelled_count >= 0);
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS true_positives DOUBLE PRECISION;
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS false_positives DOUBLE PRECISION;
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS false_negatives DOUBLE PRECISION;
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS true_negatives DOUBLE PRECISION;
-- when the bucket was last (re)computed; created_at keeps the first time
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS computed_at TIMESTAMPTZ NOT NULL DEFAULT now();
