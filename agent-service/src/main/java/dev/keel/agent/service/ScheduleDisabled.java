package dev.keel.agent.service;

import dev.keel.agent.config.AgentConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;

/** Skips the agent's scheduled jobs when {@code keel.agent.schedule.enabled} is false (tests run them by hand). */
@Singleton
public class ScheduleDisabled implements Scheduled.SkipPredicate {

    private final boolean enabled;

    public ScheduleDisabled(AgentConfig config) {
        this.enabled = config.schedule().enabled();
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !enabled;
    }
}
