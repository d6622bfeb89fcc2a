package dev.keel.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the prediction log's partitions are kept: made ahead of time, dropped after the retention. */
@ConfigMapping(prefix = "keel.predictions")
public interface PredictionLogConfig {

    /** Days of daily partitions made ahead of today (env KEEL_PREDICTIONS_PARTITIONS_AHEAD_DAYS); default 7. */
    @WithDefault("7")
    int partitionsAheadDays();

    /** Days of predictions kept; older daily partitions are dropped (env KEEL_PREDICTIONS_RETENTION_DAYS); default 90. */
    @WithDefault("90")
    int retentionDays();
}
