package dev.keel.drift.client;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/** The notifier until the agent's REST endpoint exists: a log line an operator can follow. */
@DefaultBean
@ApplicationScoped
public class LoggingAgentNotifier implements AgentNotifier {

    private static final Logger LOG = Logger.getLogger(LoggingAgentNotifier.class);

    @Override
    public void issueDetected(long projectId, String modelName, long alertId, String kind, String severity,
                              Map<String, ?> evidence) {
        LOG.infof("Agent not notified (no agent endpoint yet): %s %s for model %s in project %d, alert %d",
                severity, kind, modelName, projectId, alertId);
    }
}
