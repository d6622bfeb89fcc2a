package dev.keel.inference.log;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One row of the prediction log as the request path hands it over. The features map is the
 * request's own (never mutated after parsing), so turning it into JSON waits for the writer thread.
 */
public record PredictionRecord(
        UUID requestId,
        Instant predictedAt,
        long projectId,
        String modelName,
        int modelVersion,
        Map<String, Object> features,
        double prediction,
        Double probability,
        float[] outputs,
        int latencyMicros,
        String apiKeyName) {
}
