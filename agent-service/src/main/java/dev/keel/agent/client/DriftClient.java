package dev.keel.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.config.DriftServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** Asks drift-service for a drift report over the model's recent predictions. */
@ApplicationScoped
public class DriftClient {

    private static final Logger LOG = Logger.getLogger(DriftClient.class);

    private final DriftApi api;
    private final Downstream downstream;

    public DriftClient(@RestClient DriftApi api, Downstream downstream, DriftServiceConfig config) {
        this.api = api;
        this.downstream = downstream;
        LOG.debugf("drift-service at %s", config.url());
    }

    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = NotReachedException.class)
    public JsonNode report(String project, String model, Integer version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", model);
        if (version != null) {
            body.put("model_version", version);
        }
        return downstream.call("make a drift report of " + model, () -> api.create(project, downstream.authorization(), body));
    }
}
