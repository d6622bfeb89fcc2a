-- training-service: the ROC curve of a finished run's final model on its held-out test rows, as
-- [[false positive rate, true positive rate], ...] from [0, 0] to [1, 1], at most 101 points.
ALTER TABLE training_runs ADD COLUMN IF NOT EXISTS roc_curve JSONB;
