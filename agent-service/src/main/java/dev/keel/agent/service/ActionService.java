package dev.keel.agent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.config.AgentConfig;
import dev.keel.agent.domain.ActionStatus;
import dev.keel.agent.domain.AgentAction;
import dev.keel.agent.domain.IssueKind;
import dev.keel.agent.domain.RemediationPolicy;
import dev.keel.agent.domain.Severity;
import dev.keel.agent.repository.ActionRecord;
import dev.keel.agent.repository.ActionRepository;
import dev.keel.agent.repository.Alert;
import dev.keel.agent.repository.MonitoringFacts;
import dev.keel.agent.repository.Page;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectDirectory;
import dev.keel.common.security.ProjectRef;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * From a diagnosis to actions: the policy's plan, each step recorded as an agent_actions row.
 * Low risk runs at once; medium and high wait for a human. Guards, in order: whether the action can
 * run at all, cooldown per model and action, the same action still under way, the circuit breaker
 * of the project, dry-run.
 */
@ApplicationScoped
public class ActionService {

    private static final Logger LOG = Logger.getLogger(ActionService.class);
    /** Who proposes what the agent decides itself. */
    public static final String AGENT = "agent";

    /** An approval is started within milliseconds of its decision; one older than this was left behind. */
    static final Duration STRANDED_APPROVAL = Duration.ofMinutes(1);

    private final ActionRepository actions;
    private final ActionEffects effects;
    private final MonitoringFacts facts;
    private final AlertService alerts;
    private final WebhookNotifier webhook;
    private final AgentConfig config;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final ProjectDirectory projects;
    private final Feasibility feasibility;
    private final ConsoleLinks console;

    public ActionService(ActionRepository actions, ActionEffects effects, MonitoringFacts facts, AlertService alerts,
                         WebhookNotifier webhook, AgentConfig config, ObjectMapper json, MeterRegistry meters,
                         ProjectDirectory projects, Feasibility feasibility, ConsoleLinks console) {
        this.feasibility = feasibility;
        this.console = console;
        this.meters = meters;
        this.projects = projects;
        this.actions = actions;
        this.effects = effects;
        this.facts = facts;
        this.alerts = alerts;
        this.webhook = webhook;
        this.config = config;
        this.json = json;
    }

    /**
     * Takes the policy's actions for a detected issue; answers the rows made. {@code alertId} is an
     * alert that already stands for this issue (drift raises its own), which send_alert then links
     * to instead of bumping.
     */
    public List<ActionRecord> remediate(long projectId, String projectName, Diagnosis d, boolean dryRunRequested,
                                        String proposedBy, Long alertId) {
        boolean dryRun = config.dryRun() || dryRunRequested;
        List<ActionRecord> made = new ArrayList<>();
        Long linkedAlert = alertId;
        for (AgentAction action : RemediationPolicy.plan(d.kind(), d.severity())) {
            ActionRecord row;
            if (action == AgentAction.SEND_ALERT && alertId != null) {
                row = link(projectId, projectName, d, dryRun, proposedBy, alertId);
            } else {
                row = take(projectId, projectName, d, action, dryRun, proposedBy, linkedAlert);
            }
            if (action == AgentAction.SEND_ALERT && row.alertId() != null) {
                linkedAlert = row.alertId();
            }
            made.add(counted(row));
        }
        return made;
    }

    /**
     * send_alert for an alert another service raised: a row linking to it, and its announcement when
     * the agent sees it for the first time, or when it is worse than when the agent last linked to it.
     * Reading what the agent had seen and adding this link are one step, under the lock that raises of
     * the alert's project, model and kind take, across replicas: signals linking to one new alert at
     * once (drift's and its copy sent again) would each find no link before theirs and each announce
     * it, and a bump by another signal (which counts as seeing it) could announce it besides.
     */
    private ActionRecord link(long projectId, String projectName, Diagnosis d, boolean dryRun, String proposedBy,
                              long alertId) {
        if (dryRun) {
            return actions.insert(newRow(projectId, d, AgentAction.SEND_ALERT, ActionStatus.SUCCEEDED, true,
                    json.createObjectNode(), linked(alertId), alertId, proposedBy, null));
        }
        Alert alert = alerts.get(projectId, alertId);   // its project, model and kind never change
        boolean[] seenBefore = {false};
        List<Optional<String>> linkedBefore = new ArrayList<>(1);
        ActionRecord row = alerts.serialised(alert, () -> {
            seenBefore[0] = alerts.seenByAgent(alert);
            linkedBefore.add(actions.lastLinkedAlertSeverity(projectId, alertId));
            return actions.insert(newRow(projectId, d, AgentAction.SEND_ALERT, ActionStatus.SUCCEEDED, false,
                    json.createObjectNode(), linked(alertId), alertId, proposedBy, null));
        });
        alerts.announceIfNewOrWorse(projectName, alerts.get(projectId, alertId), seenBefore[0], linkedBefore.get(0));
        return row;
    }

    private ActionRecord take(long projectId, String projectName, Diagnosis planned, AgentAction plannedAction,
                              boolean dryRun, String proposedBy, Long alertId) {
        Step step = feasible(projectId, projectName, planned, plannedAction);
        AgentAction action = step.action();
        Diagnosis d = step.diagnosis();
        ObjectNode params = json.createObjectNode();
        if (action != plannedAction) {
            params.put("instead_of", plannedAction.name());
        }
        Optional<String> unplannable = step.impossible().or(() -> params(projectId, d, action, params));
        if (unplannable.isPresent()) {
            return actions.insert(newRow(projectId, d, action, ActionStatus.SKIPPED, dryRun, params,
                    reason("not_applicable", unplannable.get()), alertId, proposedBy, null));
        }
        if (action == AgentAction.SEND_ALERT) {
            return follow(action, open(projectId, d, action, dryRun, params, proposedBy, alertId), projectName, d);
        }
        // The cooldown's check and the row that counts for it are one step, serialised per project,
        // model and action across replicas: two signals about one issue arriving together (drift's
        // alert and a client's, say) cannot both pass it. A dry run meets the same guards, so what it
        // says would be done is what would be done (its own rows start no cooldown).
        boolean[] passed = {false};
        ActionRecord row = actions.serialised(projectId, d.modelName(), action.name(), () -> {
            Instant since = Instant.now().minus(config.cooldown());
            if (actions.doneSince(projectId, d.modelName(), action.name(), since)) {
                return actions.insert(newRow(projectId, d, action, ActionStatus.SKIPPED, dryRun, params,
                        reason("cooldown", action.name() + " already ran or was proposed for " + d.modelName()
                                + " within the last " + config.cooldown()), alertId, proposedBy, null));
            }
            // a proposal still waiting (or approved, or running) is the answer to this issue already: a
            // second would ask the approvers twice, and approving both would act twice
            Optional<ActionRecord> underWay = actions.underWay(projectId, d.modelName(), action.name());
            if (underWay.isPresent()) {
                ActionRecord earlier = underWay.get();
                ObjectNode why = reason("already_open", action.name() + " for " + d.modelName() + " is already "
                        + earlier.status() + " as action " + earlier.id() + ", proposed at " + earlier.createdAt());
                why.put("action_id", earlier.id());
                return actions.insert(newRow(projectId, d, action, ActionStatus.SKIPPED, dryRun, params, why, alertId,
                        proposedBy, null));
            }
            Optional<String> open = breakerOpen(projectId);
            if (open.isPresent()) {
                return actions.insert(newRow(projectId, d, action, ActionStatus.SKIPPED, dryRun, params,
                        reason("circuit_open", open.get()), alertId, proposedBy, null));
            }
            passed[0] = true;
            return open(projectId, d, action, dryRun, params, proposedBy, alertId);
        });
        return passed[0] ? follow(action, row, projectName, d) : row;
    }

    /** What is taken for a step of the plan: the action, the diagnosis its row records, or why it cannot run. */
    private record Step(AgentAction action, Diagnosis diagnosis, Optional<String> impossible) {
    }

    /**
     * A rollback or a retraining that the registry or training-service would refuse is not proposed:
     * it would be approved only to fail, and the failure would count toward the circuit breaker. A
     * rollback that cannot run becomes a retraining when that can, its row saying why.
     */
    private Step feasible(long projectId, String projectName, Diagnosis d, AgentAction action) {
        if (action == AgentAction.RETRAIN_MODEL) {
            return new Step(action, d, feasibility.whyNoRetraining(projectId, projectName, d.modelName()));
        }
        if (action != AgentAction.ROLLBACK_MODEL) {
            return new Step(action, d, Optional.empty());
        }
        Optional<String> noRollback = feasibility.whyNoRollback(projectId, d.modelName());
        if (noRollback.isEmpty()) {
            return new Step(action, d, Optional.empty());
        }
        Optional<String> noRetraining = feasibility.whyNoRetraining(projectId, projectName, d.modelName());
        if (noRetraining.isPresent()) {
            return new Step(action, d, Optional.of(noRollback.get() + "; retraining instead is not possible either: "
                    + noRetraining.get()));
        }
        return new Step(AgentAction.RETRAIN_MODEL,
                d.explainedFurther("Retraining is proposed instead of a rollback: " + noRollback.get() + "."), Optional.empty());
    }

    /** The row of an action past its guards: waiting for approval, running, or (a dry run) skipped. */
    private ActionRecord open(long projectId, Diagnosis d, AgentAction action, boolean dryRun, ObjectNode params,
                              String proposedBy, Long alertId) {
        if (action.risk().needsApproval()) {
            return actions.insert(newRow(projectId, d, action, ActionStatus.PENDING_APPROVAL, dryRun, params,
                    null, alertId, proposedBy, Instant.now().plus(config.approvalTtl())));
        }
        return actions.insert(newRow(projectId, d, action, dryRun ? ActionStatus.SKIPPED : ActionStatus.RUNNING,
                dryRun, params, null, alertId, proposedBy, null));
    }

    /** What follows an opened row, once it is committed: the request for approval, or the action itself. */
    private ActionRecord follow(AgentAction action, ActionRecord row, String projectName, Diagnosis d) {
        if (action.risk().needsApproval()) {
            LOG.infof("Proposed %s (%s risk) for %s in project %s as action %d; waits for approval until %s",
                    action.name(), action.risk().wireName(), d.modelName(), projectName, row.id(), row.expiresAt());
            webhook.notify(String.format(Locale.ROOT, "Approval needed%s: %s (%s risk) for %s in project %s, action %d.%n%s%n"
                            + "Approve or reject: POST /api/v1/agent/actions/%d/approve | /reject%s", row.dryRun() ? " (dry run)" : "",
                    action.name(), action.risk().wireName(), d.modelName(), projectName, row.id(), d.explanation(), row.id(),
                    console.pendingAction(row.id()).map(link -> String.format(Locale.ROOT, "%nor in the console: %s", link))
                            .orElse("")));
            return row;
        }
        if (row.dryRun()) {
            return actions.finish(row.id(), ActionStatus.SKIPPED.wireName(), dryRunResult(action, row), null);
        }
        return execute(action, row, projectName);
    }

    /** Fills an action's parameters from the diagnosis; a reason when it cannot be planned at all. */
    private Optional<String> params(long projectId, Diagnosis d, AgentAction action, ObjectNode params) {
        if (d.modelVersion() != null) {
            params.put("model_version", d.modelVersion());
        }
        if (action != AgentAction.ADJUST_THRESHOLD && action != AgentAction.VALIDATE_DATA) {
            return Optional.empty();
        }
        Optional<MonitoringFacts.ProductionVersion> production = facts.productionVersion(projectId, d.modelName());
        if (production.isEmpty()) {
            // not a failure of the agent: nothing in the registry to act on, so the breaker stays out of it
            return Optional.of(d.modelName() + " has no production version in the registry to "
                    + (action == AgentAction.VALIDATE_DATA ? "validate requests against" : "move the threshold of"));
        }
        if (action == AgentAction.VALIDATE_DATA) {
            return Optional.empty();
        }
        MonitoringFacts.ProductionVersion v = production.get();
        if (!v.binaryClassifier()) {
            return Optional.of(v.label() + " is not a binary classifier (objective '" + v.objective()
                    + "'): it has no decision threshold to move");
        }
        params.put("model_version", v.version());
        params.put("previous_threshold", v.decisionThreshold());
        Double threshold = null;
        if (d.evidence().hasNonNull("proposed_threshold")) {
            threshold = d.evidence().get("proposed_threshold").asDouble();
        } else if (d.evidence().hasNonNull("reference_positive_rate")) {
            // the cut-off that would give back the reference positive rate on the current traffic
            Instant now = Instant.now();
            threshold = facts.probabilityQuantile(v, now.minus(config.check().window()), now,
                    1 - d.evidence().get("reference_positive_rate").asDouble()).orElse(null);
        }
        if (threshold == null) {
            return Optional.of("no decision threshold could be derived: the evidence has neither proposed_threshold nor "
                    + "reference_positive_rate with logged probabilities");
        }
        params.put("decision_threshold", DiagnosisRules.round(Math.min(0.99, Math.max(0.01, threshold))));
        return Optional.empty();
    }

    /** Runs a row that is running now and records the outcome. */
    private ActionRecord execute(AgentAction action, ActionRecord row, String projectName) {
        long started = System.nanoTime();
        try {
            ActionEffects.Result result = effects.run(action, row, projectName);
            ActionRecord done = actions.finish(row.id(), ActionStatus.SUCCEEDED.wireName(), result.result(), result.alertId());
            LOG.infof("Action %d %s for %s in project %s succeeded in %d ms", row.id(), action.name(), row.modelName(),
                    projectName, (System.nanoTime() - started) / 1_000_000);
            return done;
        } catch (RuntimeException e) {
            LOG.warnf("Action %d %s for %s in project %s failed: %s", row.id(), action.name(), row.modelName(), projectName,
                    e.getMessage());
            ActionRecord failed = actions.finish(row.id(), ActionStatus.FAILED.wireName(),
                    reason("error", String.valueOf(e.getMessage())), null);
            breakerOpen(row.projectId()).ifPresent(why -> tripped(row, projectName, why));
            return failed;
        }
    }

    private void tripped(ActionRecord row, String projectName, String why) {
        try {
            alerts.raise(row.projectId(), projectName, null, "agent", Severity.CRITICAL,
                    "The agent stopped acting in project " + projectName, why, reason("circuit_open", why), null);
        } catch (RuntimeException e) {
            LOG.warnf("Could not raise the circuit-breaker alert of project %s: %s", projectName, e.getMessage());
        }
    }

    /** Why the breaker is open in the project, or empty when the agent may act. */
    public Optional<String> breakerOpen(long projectId) {
        int n = config.circuitBreaker().failureThreshold();
        List<ActionRepository.Outcome> latest = actions.latestOutcomes(projectId, n);
        if (latest.size() < n || latest.stream().anyMatch(o -> !"failed".equals(o.status()))) {
            return Optional.empty();
        }
        Instant until = latest.get(0).finishedAt().plus(config.circuitBreaker().openFor());
        if (!Instant.now().isBefore(until)) {
            return Optional.empty();
        }
        return Optional.of("the last " + n + " executions in this project failed; the agent does not act here until " + until);
    }

    /** pending_approval → approved, then executed; approving again answers the row as it is. */
    public ActionRecord approve(long projectId, String projectName, long id, String actor, String comment) {
        ActionRecord current = get(projectId, id);
        if (ActionStatus.PENDING_APPROVAL.wireName().equals(current.status()) && !current.dryRun()) {
            breakerOpen(projectId).ifPresent(why -> {
                throw ProblemException.conflict("Not approved: " + why + ". The proposal stays pending.");
            });
        }
        Optional<ActionRecord> decided = actions.decide(projectId, id, ActionStatus.APPROVED.wireName(), actor, comment);
        if (decided.isEmpty()) {
            ActionRecord earlier = alreadyDecided(projectId, id, ActionStatus.APPROVED);
            // approved and never started (the replica that decided stopped in between): the retry starts it
            return ActionStatus.APPROVED.wireName().equals(earlier.status()) ? startApproved(projectId, id, projectName)
                    : earlier;
        }
        LOG.infof("Action %d %s for %s in project %s approved by %s", id, decided.get().action(), decided.get().modelName(),
                projectName, actor);
        counted(decided.get());   // the decision itself, before the outcome it leads to is counted too
        return startApproved(projectId, id, projectName);
    }

    /** approved → running, then run; whoever starts it first runs it, anyone else answers the row as it is. */
    private ActionRecord startApproved(long projectId, long id, String projectName) {
        Optional<ActionRecord> running = actions.start(id);
        return running.isEmpty() ? get(projectId, id) : runStarted(running.get(), projectName);
    }

    private ActionRecord runStarted(ActionRecord row, String projectName) {
        AgentAction action = AgentAction.fromName(row.action()).orElseThrow();
        if (row.dryRun()) {
            return counted(actions.finish(row.id(), ActionStatus.SKIPPED.wireName(), dryRunResult(action, row), null));
        }
        return counted(execute(action, row, projectName));
    }

    /**
     * What a replica that stopped mid-way left: approvals decided a minute ago or more and never
     * started run now, one at a time and after the circuit breaker is asked again (those older than
     * the approval TTL fail instead: their evidence is stale), and actions running longer than
     * {@code keel.agent.interrupted-after} are settled: succeeded when the shared schema shows what
     * they did (a rollback's stage change, a retraining's run), else failed with reason
     * {@code interrupted} (whether they took effect is unknown). Each row is claimed by one
     * conditional UPDATE, so replicas may race harmlessly. Answers how many rows it settled.
     */
    public int recoverStranded() {
        int settled = 0;
        Instant now = Instant.now();
        // an approval left longer than a proposal may wait is not acted on this late: its evidence is stale
        Instant oldest = now.minus(config.approvalTtl());
        for (ActionRecord row : actions.failStaleApprovals(oldest, reason("interrupted", "Approved, but the agent "
                + "stopped before starting it, longer ago than a proposal may wait (" + config.approvalTtl()
                + "); not run this late"))) {
            LOG.warnf("Action %d %s for %s was approved at %s and never started; too late to run it now", row.id(),
                    row.action(), row.modelName(), row.decidedAt());
            counted(row);
            settled++;
        }
        Optional<ActionRecord> next;
        while ((next = actions.startStrandedApproval(oldest, now.minus(STRANDED_APPROVAL))).isPresent()) {
            ActionRecord row = next.get();
            String projectName = projects.byId(row.projectId()).map(ProjectRef::name).orElse("#" + row.projectId());
            Optional<String> open = row.dryRun() ? Optional.empty() : breakerOpen(row.projectId());
            if (open.isPresent()) {
                counted(actions.finish(row.id(), ActionStatus.SKIPPED.wireName(), reason("circuit_open", open.get()), null));
            } else {
                LOG.infof("Action %d %s for %s in project %s was approved by %s and never started; running it now",
                        row.id(), row.action(), row.modelName(), projectName, row.decidedBy());
                runStarted(row, projectName);
            }
            settled++;
        }
        Instant startedBefore = Instant.now().minus(config.interruptedAfter());
        for (ActionRecord row : actions.runningSince(startedBefore)) {
            Optional<ObjectNode> took = row.dryRun() ? Optional.empty() : tookEffect(row);
            Optional<ActionRecord> done = took.isPresent()
                    ? actions.settleRunning(row.id(), ActionStatus.SUCCEEDED.wireName(), took.get())
                    : actions.settleRunning(row.id(), ActionStatus.FAILED.wireName(), reason("interrupted", "The agent "
                            + "stopped while this action ran, before its outcome was recorded; whether it took effect "
                            + "is unknown (see the registry's stage history and the training runs)"));
            if (done.isEmpty()) {
                continue;   // another replica settled it
            }
            if (took.isPresent()) {
                LOG.infof("Action %d %s for %s was still running after %s: the agent that ran it stopped after it took "
                        + "effect; recorded as succeeded (%s)", row.id(), row.action(), row.modelName(),
                        config.interruptedAfter(), took.get());
            } else {
                LOG.warnf("Action %d %s for %s was still running after %s: the agent that ran it stopped; recorded as failed",
                        row.id(), row.action(), row.modelName(), config.interruptedAfter());
            }
            counted(done.get());
            settled++;
        }
        return settled;
    }

    /**
     * What an interrupted action did, where the shared schema records it: the rollback the registry
     * made with the action's reason, the training run started with the action's Idempotency-Key.
     * Empty when nothing says it took effect.
     */
    private Optional<ObjectNode> tookEffect(ActionRecord row) {
        AgentAction action = AgentAction.fromName(row.action()).orElse(null);
        ObjectNode out = json.createObjectNode();
        if (action == AgentAction.ROLLBACK_MODEL) {
            Optional<MonitoringFacts.RecordedRollback> done = facts.rollbackOf(row.projectId(), row.modelName(), row.id());
            if (done.isEmpty()) {
                return Optional.empty();
            }
            out.put("from_version", done.get().fromVersion());
            out.put("to_version", done.get().toVersion());
        } else if (action == AgentAction.RETRAIN_MODEL) {
            Optional<MonitoringFacts.RecordedRun> run = facts.trainingRunOf(row.projectId(), "keel-agent-action-" + row.id());
            if (run.isEmpty()) {
                return Optional.empty();
            }
            out.put("training_run_id", run.get().id());
            out.put("training_status", run.get().status());
        } else {
            return Optional.empty();
        }
        out.put("interrupted", true);
        out.put("detail", "The agent stopped while this action ran, after it took effect; its outcome is read from "
                + (action == AgentAction.ROLLBACK_MODEL ? "the registry's stage history" : "the training runs"));
        return Optional.of(out);
    }

    /** pending_approval → rejected; rejecting again answers the row as it is. */
    public ActionRecord reject(long projectId, long id, String actor, String comment) {
        Optional<ActionRecord> decided = actions.decide(projectId, id, ActionStatus.REJECTED.wireName(), actor, comment);
        if (decided.isEmpty()) {
            return alreadyDecided(projectId, id, ActionStatus.REJECTED);
        }
        LOG.infof("Action %d %s for %s rejected by %s: %s", id, decided.get().action(), decided.get().modelName(), actor,
                comment);
        return counted(decided.get());
    }

    private ActionRecord alreadyDecided(long projectId, long id, ActionStatus wanted) {
        ActionRecord current = get(projectId, id);
        ActionStatus status = ActionStatus.fromWireName(current.status()).orElseThrow();
        switch (status) {
            case PENDING_APPROVAL, EXPIRED -> {
                expireDue();
                throw ProblemException.conflict("Action " + id + " expired at " + current.expiresAt()
                        + " without a decision; the agent proposes it again if the issue persists");
            }
            case SKIPPED -> {
                if (current.decidedBy() == null) {
                    throw ProblemException.conflict("Action " + id + " was skipped and never waited for a decision");
                }
                // an approved dry-run proposal, skipped as dry runs are
                if (wanted == ActionStatus.APPROVED) {
                    return current;
                }
                throw ProblemException.conflict("Action " + id + " was already approved by " + current.decidedBy());
            }
            case REJECTED -> {
                if (wanted == ActionStatus.REJECTED) {
                    return current;
                }
                throw ProblemException.conflict("Action " + id + " was already rejected by " + current.decidedBy());
            }
            case APPROVED, RUNNING, SUCCEEDED, FAILED -> {
                if (wanted == ActionStatus.APPROVED && current.decidedBy() != null) {
                    return current;
                }
                throw ProblemException.conflict(current.decidedBy() == null
                        ? "Action " + id + " is low risk and ran without approval"
                        : "Action " + id + " was already approved by " + current.decidedBy());
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Pending proposals past their expiry become expired; answers how many. */
    public int expireDue() {
        List<ActionRecord> expired = actions.expireDue();
        expired.forEach(a -> {
            LOG.infof("Action %d %s for %s expired without a decision", a.id(), a.action(), a.modelName());
            counted(a);
        });
        return expired.size();
    }

    public ActionRecord get(long projectId, long id) {
        return actions.find(projectId, id).orElseThrow(() -> ProblemException.notFound("Agent action", id));
    }

    public Page<ActionRecord> list(long projectId, String status, String action, String issueKind, String risk,
                                   String modelName, int page, int size) {
        return actions.list(projectId, status, action, issueKind, risk, modelName, page, size);
    }

    private ActionRepository.NewAction newRow(long projectId, Diagnosis d, AgentAction action, ActionStatus status,
                                              boolean dryRun, ObjectNode params, Object result, Long alertId,
                                              String proposedBy, Instant expiresAt) {
        return new ActionRepository.NewAction(projectId, d.modelName(), d.kind().wireName(), d.severity().wireName(),
                action.name(), action.risk().wireName(), status.wireName(), dryRun, params, d.evidence(), d.explanation(),
                result, alertId, proposedBy, expiresAt);
    }

    /** Counts the row in keel_agent_actions_total by action and the status it reached. */
    private ActionRecord counted(ActionRecord row) {
        ActionCounter.of(meters, row.action(), row.status(), row.risk()).increment();
        return row;
    }

    private ObjectNode dryRunResult(AgentAction action, ActionRecord row) {
        ObjectNode out = json.createObjectNode();
        out.put("dry_run", true);
        out.put("would", ActionEffects.describe(action, row));
        return out;
    }

    private ObjectNode reason(String code, String detail) {
        ObjectNode out = json.createObjectNode();
        out.put("reason", code);
        out.put("detail", detail);
        return out;
    }

    private ObjectNode linked(long alertId) {
        ObjectNode out = json.createObjectNode();
        out.put("alert_id", alertId);
        out.put("linked", true);
        return out;
    }

    static IssueKind kind(String wire) {
        return IssueKind.fromWireName(wire).orElseThrow();
    }
}
