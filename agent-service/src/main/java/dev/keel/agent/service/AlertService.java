package dev.keel.agent.service;

import dev.keel.agent.domain.Severity;
import dev.keel.agent.repository.Alert;
import dev.keel.agent.repository.AlertRepository;
import dev.keel.agent.repository.Page;
import dev.keel.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Raising alerts and their lifecycle. Each alert is announced on the webhook once when the agent first
 * sees it (it raises it, or first bumps or links to one drift-service raised), and again when it gets worse.
 */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);

    private final AlertRepository alerts;
    private final WebhookNotifier webhook;
    private final ConsoleLinks console;

    public AlertService(AlertRepository alerts, WebhookNotifier webhook, ConsoleLinks console) {
        this.alerts = alerts;
        this.webhook = webhook;
        this.console = console;
    }

    /**
     * Raises or bumps the open alert of the model and kind, announcing it when it is new, worse than it
     * was, or seen by the agent for the first time (drift-service raised it and this bump came before
     * drift's own signal). {@code byAction} is the send_alert row raising it, null for the circuit
     * breaker's own alert.
     */
    public AlertRepository.Raised raise(long projectId, String projectName, String modelName, String kind, Severity severity,
                                        String title, String message, Object evidence, Long byAction) {
        AlertRepository.Raised raised = alerts.raise(projectId, modelName, kind, severity.wireName(), title, message,
                evidence, AlertRepository.AGENT_SOURCE, byAction);
        Alert a = raised.alert();
        boolean firstSight = !raised.isNew() && !raised.seenBefore() && "active".equals(a.status());
        boolean worse = !firstSight && raised.previousSeverity() != null && worse(severity, raised.previousSeverity());
        LOG.infof("Alert %d (%s, %s) for model %s in project %s, occurrence %d: %s", a.id(), kind, severity.wireName(),
                modelName, projectName, a.occurrences(), title);
        if (raised.isNew() || firstSight || worse) {
            announce(projectName, a, worse);
        }
        return raised;
    }

    /**
     * Runs {@code step} under the lock that raises of the alert's project, model and kind take (one
     * transaction, across replicas): what it reads of the alert and its actions, and what it adds,
     * cannot interleave with a raise or another such step.
     */
    public <T> T serialised(Alert alert, Supplier<T> step) {
        return alerts.serialised(alert.projectId(), alert.modelName(), alert.kind(), step);
    }

    /** Whether the agent has seen the alert before: it raised it, or an action of its refers to it. */
    public boolean seenByAgent(Alert alert) {
        return alerts.seenByAgent(alert.id());
    }

    /**
     * Announces an alert another service raised (drift-service does) when it links to it: the first
     * time the agent sees it (neither raised by the agent nor referred to by any of its actions; a
     * bump by another signal counts as seeing it), and again when it has got worse than it was when
     * the agent last linked to it.
     *
     * @param seenBefore   whether the agent had seen the alert before this link
     * @param linkedBefore the severity of the agent's last send_alert referring to this alert, empty when there was none
     */
    public void announceIfNewOrWorse(String projectName, Alert alert, boolean seenBefore, Optional<String> linkedBefore) {
        if (!"active".equals(alert.status())) {
            return;
        }
        if (!seenBefore) {
            announce(projectName, alert, false);
            return;
        }
        if (linkedBefore.isPresent()
                && Severity.fromWireName(alert.severity()).map(now -> worse(now, linkedBefore.get())).orElse(false)) {
            announce(projectName, alert, true);
        }
    }

    /** Whether {@code now} is a higher severity than the one {@code previous} names. */
    private static boolean worse(Severity now, String previous) {
        return Severity.fromWireName(previous).map(before -> now.compareTo(before) > 0).orElse(false);
    }

    private void announce(String projectName, Alert a, boolean worse) {
        webhook.notify(String.format(Locale.ROOT, "[%s] %s (project %s, alert %d)%s%n%s%s",
                a.severity().toUpperCase(Locale.ROOT), a.title(), projectName, a.id(), worse ? ", now worse" : "",
                a.message(), console.alert(a.id()).map(link -> String.format(Locale.ROOT, "%nIn the console: %s", link))
                        .orElse("")));
    }

    public Alert get(long projectId, long id) {
        return alerts.find(projectId, id).orElseThrow(() -> ProblemException.notFound("Alert", id));
    }

    public Page<Alert> list(long projectId, String status, String kind, String severity, String modelName, int page, int size) {
        return alerts.list(projectId, status, kind, severity, modelName, page, size);
    }

    /** active → acknowledged, with an optional note; again is a no-op; a resolved alert cannot be acknowledged (409). */
    public Alert acknowledge(long projectId, long id, String actor, String note) {
        return alerts.acknowledge(projectId, id, actor, blankToNull(note)).orElseGet(() -> {
            Alert current = get(projectId, id);
            if ("resolved".equals(current.status())) {
                throw ProblemException.conflict("Alert " + id + " was resolved by " + current.resolvedBy()
                        + " and cannot be acknowledged");
            }
            return current;
        });
    }

    /** active or acknowledged → resolved, with an optional note; resolving again is a no-op. */
    public Alert resolve(long projectId, long id, String actor, String note) {
        return alerts.resolve(projectId, id, actor, blankToNull(note)).orElseGet(() -> get(projectId, id));
    }

    private static String blankToNull(String note) {
        return note == null || note.isBlank() ? null : note.strip();
    }
}
