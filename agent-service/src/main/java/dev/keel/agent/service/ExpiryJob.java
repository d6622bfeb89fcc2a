package dev.keel.agent.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Expires proposals nobody decided in time (the UPDATE is conditional, so replicas may race harmlessly). */
@ApplicationScoped
public class ExpiryJob {

    private final ActionService actions;

    public ExpiryJob(ActionService actions) {
        this.actions = actions;
    }

    @Scheduled(identity = "agent-expiry", every = "${keel.agent.schedule.expiry-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ScheduleDisabled.class)
    void scheduled() {
        runOnce();
    }

    public int runOnce() {
        return actions.expireDue();
    }
}
