package dev.keel.training.api;

import java.time.Instant;

/**
 * When a model is retrained and from what: its cron (UTC) and where it came from, its data source
 * and where that came from (config, registry or default), whether that source has data now (a
 * retraining without a named dataset would start), and the next and last firings.
 */
public record RetrainScheduleView(String model, String cron, String cronSource, String dataSource,
                                  String dataSourceOrigin, boolean dataAvailable, boolean enabled, Instant nextRunAt,
                                  Instant lastRunAt) {
}
