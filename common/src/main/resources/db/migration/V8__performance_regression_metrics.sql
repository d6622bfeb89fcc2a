-- drift-service: performance monitoring of regression models (reg:*, count:poisson, reg:gamma,
-- reg:tweedie) from feedback: mean absolute error and root mean squared error per bucket, over its
-- labelled predictions. Binary and multi-class rows leave them NULL; regression rows leave the
-- classification metrics NULL. A longer window's figures follow exactly from its buckets:
-- MAE as the labelled-count-weighted mean, RMSE as the root of the weighted mean of squares.
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS mae DOUBLE PRECISION CHECK (mae >= 0);
ALTER TABLE performance_metrics ADD COLUMN IF NOT EXISTS rmse DOUBLE PRECISION CHECK (rmse >= 0);
