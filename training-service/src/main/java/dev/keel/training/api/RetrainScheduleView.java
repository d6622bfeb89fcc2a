package dev.keel.training.api;

import java.time.Instant;

/** When a model is retrained: its cron (UTC), where it came from, and the next and last firings. */
public record RetrainScheduleView(String model, String cron, String cronSource, String dataSource, boolean enabled,
                                  Instant nextRunAt, Instant lastRunAt) {
}
