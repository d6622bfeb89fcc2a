package dev.keel.drift.service;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Skips the scheduled jobs when {@code keel.drift.schedule.enabled} is false (tests run them by hand). */
@Singleton
public class ScheduleDisabled implements Scheduled.SkipPredicate {

    private final boolean enabled;

    public ScheduleDisabled(@ConfigProperty(name = "keel.drift.schedule.enabled", defaultValue = "true") boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !enabled;
    }
}
