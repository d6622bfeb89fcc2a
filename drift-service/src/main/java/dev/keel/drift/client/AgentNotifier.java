package dev.keel.drift.client;

/**
 * Tells the agent service that drift or degradation was found, so it can diagnose and act. The
 * agent's endpoint is defined by the agent issue; until it lands, {@link LoggingAgentNotifier} only
 * logs, and the alert row drift writes is what the agent reads.
 */
public interface AgentNotifier {

    /**
     * @param alertId   the open alert that was raised or bumped
     * @param kind      the alert kind (data_drift, performance_degradation)
     * @param severity  warning or critical
     * @param evidence  a short summary: report id, drifted features, scores
     */
    void issueDetected(long projectId, String modelName, long alertId, String kind, String severity,
                       java.util.Map<String, ?> evidence);
}
