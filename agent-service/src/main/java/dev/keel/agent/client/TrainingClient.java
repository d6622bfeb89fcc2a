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

    /**
     * Starts a run once per {@code idempotencyKey}: training-service answers the run an earlier call
     * with the same key started, so a call whose answer was lost (a connection reset after the
     * request went out, a 503 from a commit cut short) is sent again for ~5 s without a second run.
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 5, delay = 1000, retryOn = {NotReachedException.class, UnavailableException.class})
    public JsonNode retrain(String project, String model, String reason, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("trigger", "agent");
        body.put("reason", RegistryClient.clip(reason, 500));
        return downstream.call("start retraining " + model,
                () -> api.retrain(model, project, downstream.authorization(), idempotencyKey, body));
    }

    /**
     * Where training-service would take a retraining's data for the model ({@code data_source} of its
     * retrain schedule: latest, feedback, dataset:&lt;id&gt;…). Asked while the agent plans, so it waits
     * briefly and is not retried.
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    /**
     * Where training-service would retrain the model from, and whether that source has data now
     * ({@code data_available}; null from a training-service that does not say).
     */
    public RetrainData retrainData(String project, String model) {
        JsonNode schedule = downstream.call("read the retrain schedule of " + model,
                () -> api.retrainSchedule(model, project, downstream.authorization()));
        JsonNode available = schedule.path("data_available");
        return new RetrainData(schedule.path("data_source").asText(null), available.isBoolean() ? available.asBoolean() : null);
    }

    /** The data source of a model's retraining, and whether it has data now (null: not said). */
    public record RetrainData(String source, Boolean available) {
    }
}
