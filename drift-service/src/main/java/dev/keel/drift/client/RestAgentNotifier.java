package dev.keel.drift.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.common.security.AuthConfig;
import dev.keel.common.security.BootstrapKey;
import dev.keel.common.security.ProjectDirectory;
import dev.keel.common.security.ProjectRef;
import dev.keel.drift.config.AgentLocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Reports each raised alert to agent-service ({@code POST /api/v1/agent/signals}) with the
 * bootstrap key, naming the project in {@code X-Keel-Project} and linking the alert by id, so the
 * agent diagnoses it instead of raising a second one. Sent off the caller's thread: the alert row
 * is already stored, and an agent that is down or slow costs a log line, never the drift job.
 */
@ApplicationScoped
public class RestAgentNotifier implements AgentNotifier {

    private static final Logger LOG = Logger.getLogger(RestAgentNotifier.class);

    private final AgentLocation agent;
    private final Optional<String> authorization;
    private final ProjectDirectory projects;
    private final ObjectMapper json;
    private final HttpClient http;

    @Inject
    public RestAgentNotifier(AgentLocation agent, AuthConfig auth, ProjectDirectory projects, ObjectMapper json) {
        this(agent, BootstrapKey.authorization(auth), projects, json);
    }

    RestAgentNotifier(AgentLocation agent, Optional<String> authorization, ProjectDirectory projects, ObjectMapper json) {
        this.agent = agent;
        this.authorization = authorization;
        this.projects = projects;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(agent.timeout()).build();
    }

    @Override
    public void issueDetected(long projectId, String modelName, long alertId, String kind, String severity,
                              Map<String, ?> evidence) {
        send(projectId, modelName, alertId, kind, severity, evidence);
    }

    /** The delivery, for tests: completes with the agent's status code, or -1 when nothing was sent. */
    CompletableFuture<Integer> send(long projectId, String modelName, long alertId, String kind, String severity,
                                    Map<String, ?> evidence) {
        if (!agent.sendSignals()) {
            return CompletableFuture.completedFuture(-1);
        }
        if (authorization.isEmpty()) {
            LOG.warnf("Alert %d not sent to the agent: no bootstrap admin key (KEEL_ADMIN_KEY)", alertId);
            return CompletableFuture.completedFuture(-1);
        }
        Optional<ProjectRef> project = projects.byId(projectId);
        if (project.isEmpty()) {
            LOG.warnf("Alert %d not sent to the agent: project %d no longer exists", alertId, projectId);
            return CompletableFuture.completedFuture(-1);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(signalsUri())
                    .timeout(agent.timeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", authorization.get())
                    .header("X-Keel-Project", project.get().name())
                    .POST(HttpRequest.BodyPublishers.ofString(body(modelName, alertId, kind, severity, evidence)))
                    .build();
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "Alert %d not sent to the agent: its evidence is not serialisable", alertId);
            return CompletableFuture.completedFuture(-1);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() / 100 == 2) {
                        LOG.infof("Alert %d sent to the agent (%s, %s, model %s)", alertId, kind, severity, modelName);
                    } else {
                        LOG.warnf("Alert %d: the agent answered %d: %s", alertId, response.statusCode(), response.body());
                    }
                    return response.statusCode();
                })
                .exceptionally(e -> {
                    LOG.warnf("Alert %d stored, but the agent at %s was not reached: %s", alertId, agent.url(),
                            e.getCause() != null ? e.getCause().toString() : e.toString());
                    return -1;
                });
    }

    private URI signalsUri() {
        String base = agent.url().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/agent/signals");
    }

    private String body(String modelName, long alertId, String kind, String severity, Map<String, ?> evidence)
            throws JsonProcessingException {
        ObjectNode signal = json.createObjectNode();
        signal.put("kind", kind);
        signal.put("severity", severity);
        signal.put("model_name", modelName);
        if (evidence.get("model_version") instanceof Number version) {
            signal.put("model_version", version.intValue());
        }
        signal.put("source", "drift-service");
        signal.put("alert_id", alertId);
        signal.set("evidence", json.valueToTree(evidence));
        return json.writeValueAsString(signal);
    }
}
