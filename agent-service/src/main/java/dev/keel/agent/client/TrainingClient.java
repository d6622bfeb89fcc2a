package dev.keel.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.agent.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** Asks training-service for a retraining run (trigger agent); it gates and registers the result itself. */
@ApplicationScoped
public class TrainingClient {

    private static final Logger LOG = Logger.getLogger(TrainingClient.class);

    private final TrainingApi api;
    private final Downstream downstream;

    public TrainingClient(@RestClient TrainingApi api, Downstream downstream, TrainingServiceConfig config) {
        this.api = api;
        this.downstream = downstream;
        LOG.debugf("training-service at %s", config.url());
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, retryOn = NotReachedException.class)
    public JsonNode retrain(String project, String model, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("trigger", "agent");
        body.put("reason", RegistryClient.clip(reason, 500));
        return downstream.call("start retraining " + model, () -> api.retrain(model, project, downstream.authorization(), body));
    }
}
