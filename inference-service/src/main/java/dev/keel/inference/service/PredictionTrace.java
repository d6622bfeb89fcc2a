package dev.keel.inference.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.inference.config.InferenceConfig;
import dev.keel.inference.log.PredictionRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The opt-in log line of each prediction with its feature values ({@code KEEL_INFERENCE_LOG_FEATURES}).
 * Off by default: features may be personal data, and the prediction log in PostgreSQL already keeps
 * them behind the project's keys; the access log never carries them. When on, each row predicted
 * gets one INFO line on the category {@value #CATEGORY}, to follow a request through the logs by
 * its id while debugging a client.
 */
@ApplicationScoped
public class PredictionTrace {

    /** The log category of the lines, so they can be routed or silenced apart from the rest. */
    public static final String CATEGORY = "dev.keel.inference.predictions";

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private final boolean enabled;
    private final ObjectMapper json;

    public PredictionTrace(InferenceConfig config, ObjectMapper json) {
        this.enabled = config.logFeatures();
        this.json = json;
    }

    /** Whether lines are written; the request path asks before building anything. */
    public boolean enabled() {
        return enabled;
    }

    public void log(PredictionRecord r) {
        String features;
        try {
            features = json.writeValueAsString(r.features());
        } catch (JsonProcessingException e) {
            features = "(not serializable: " + e.getOriginalMessage() + ")";
        }
        LOG.infof("request_id=%s model=%s version=%d key=%s prediction=%s probability=%s latency_us=%d features=%s",
                r.requestId(), r.modelName(), r.modelVersion(), r.apiKeyName(), r.prediction(), r.probability(),
                r.latencyMicros(), features);
    }
}
