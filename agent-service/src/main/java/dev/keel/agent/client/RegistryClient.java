package dev.keel.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.config.RegistryServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The registry's changes the agent makes: a version's decision threshold and a rollback. Both are
 * safe to send again, so both are retried when the registry was not reached or answered 503 (its
 * database restarting, say) for about five seconds: a threshold is set to a value, not moved by
 * one, and a rollback names the version it rolls back, which the registry refuses once that version
 * is no longer production, so a repeat never turns into two rollbacks.
 */
@ApplicationScoped
public class RegistryClient {

    private static final Logger LOG = Logger.getLogger(RegistryClient.class);

    private final RegistryApi api;
    private final Downstream downstream;

    public RegistryClient(@RestClient RegistryApi api, Downstream downstream, RegistryServiceConfig config) {
        this.api = api;
        this.downstream = downstream;
        if (!downstream.hasKey()) {
            LOG.warnf("No bootstrap admin key (KEEL_ADMIN_KEY): the registry at %s will refuse the agent", config.url());
        }
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 5, delay = 1000, retryOn = {NotReachedException.class, UnavailableException.class})
    public JsonNode setDecisionThreshold(String project, String model, int version, double threshold, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision_threshold", threshold);
        body.put("reason", clip(reason, 2000));
        return downstream.call("set the decision threshold of " + model + " v" + version,
                () -> api.updateVersion(model, version, project, downstream.authorization(), body));
    }

    /** Rolls {@code fromVersion} back (when not null, only if it is production still) to {@code toVersion} or the previous one. */
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 5, delay = 1000, retryOn = {NotReachedException.class, UnavailableException.class})
    public JsonNode rollback(String project, String model, Integer fromVersion, Integer toVersion, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", clip(reason, 2000));
        body.put("from_version", fromVersion);
        body.put("to_version", toVersion);
        return downstream.call("roll back " + model, () -> api.rollback(model, project, downstream.authorization(), body));
    }

    static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
