package dev.keel.agent.service;

import dev.keel.agent.domain.ActionStatus;
import dev.keel.agent.domain.AgentAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * {@code keel_agent_actions_total{action,status,risk}}: each action by the status it reached. Every
 * series an action can reach is registered at zero on start: a series that appears with its first
 * count reads as no increase to Prometheus' {@code increase()}, so the first failure of a kind in a
 * process would never fire {@code KeelAgentActionsFailing}.
 */
@Singleton
public class ActionCounter implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        for (AgentAction action : AgentAction.ALL) {
            for (ActionStatus status : ActionStatus.values()) {
                if (reachable(action, status)) {
                    of(registry, action.name(), status.wireName(), action.risk().wireName());
                }
            }
        }
    }

    /** The counter of one action, status and risk, registered on first use. */
    static Counter of(MeterRegistry registry, String action, String status, String risk) {
        return Counter.builder("keel.agent.actions").description("Agent actions, by action, the status they reached and risk")
                .tags("action", action, "status", status, "risk", risk).register(registry);
    }

    /** Whether an action is ever counted at a status: a row is counted once it waits, is decided or has ended. */
    static boolean reachable(AgentAction action, ActionStatus status) {
        return switch (status) {
            case RUNNING -> false;   // counted when it ends
            case PENDING_APPROVAL, APPROVED, REJECTED, EXPIRED -> action.risk().needsApproval();
            case SUCCEEDED, FAILED, SKIPPED -> true;
        };
    }
}
