package dev.keel.agent.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Settles the actions a stopped replica left half done: an approval it recorded but never started,
 * an action it was running when it stopped (see {@link ActionService#recoverStranded()}). Runs with
 * the expiry job's interval; its UPDATEs are conditional, so replicas may race harmlessly.
 */
@ApplicationScoped
public class StrandedActionsJob {

    private final ActionService actions;

    public StrandedActionsJob(ActionService actions) {
        this.actions = actions;
    }

    @Scheduled(identity = "agent-stranded-actions", every = "${keel.agent.schedule.expiry-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ScheduleDisabled.class)
    void scheduled() {
        runOnce();
    }

    public int runOnce() {
        return actions.recoverStranded();
    }
}
