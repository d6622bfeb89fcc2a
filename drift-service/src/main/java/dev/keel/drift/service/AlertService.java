package dev.keel.drift.service;

import dev.keel.drift.client.AgentNotifier;
import dev.keel.drift.repository.AlertRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/** Raises (or bumps) an alert row, then tells the agent; a failing agent never loses the alert. */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);

    private final AlertRepository alerts;
    private final AgentNotifier agent;

    public AlertService(AlertRepository alerts, AgentNotifier agent) {
        this.alerts = alerts;
        this.agent = agent;
    }

    public AlertRepository.Raised raise(long projectId, String modelName, String kind, String severity, String title,
                                        String message, Map<String, ?> evidence) {
        AlertRepository.Raised raised = alerts.raise(projectId, modelName, kind, severity, title, message, evidence);
        LOG.infof("Alert %d (%s, %s) for model %s in project %d, occurrence %d: %s", raised.id(), kind, severity,
                modelName, projectId, raised.occurrences(), title);
        try {
            agent.issueDetected(projectId, modelName, raised.id(), kind, severity, evidence);
        } catch (RuntimeException e) {
            LOG.warnf("Alert %d stored, but notifying the agent failed: %s", raised.id(), e.getMessage());
        }
        return raised;
    }
}
