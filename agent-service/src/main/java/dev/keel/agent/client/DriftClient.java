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

    /**
     * Asks for a report now; sent again for ~5 s when drift-service was not reached or answered 503
     * (its database restarting). A report asked for on demand raises no alert, so one made twice
     * (its answer lost after it was stored) is a second stored report and nothing more.
     */
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 5, delay = 1000, retryOn = {NotReachedException.class, UnavailableException.class})
    public JsonNode report(String project, String model, Integer version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", model);
        if (version != null) {
            body.put("model_version", version);
        }
        return downstream.call("make a drift report of " + model, () -> api.create(project, downstream.authorization(), body));
    }
}
