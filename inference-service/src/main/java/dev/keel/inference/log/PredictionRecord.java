package dev.keel.inference.log;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One row of the prediction log as the request path hands it over; the writer turns it into its
 * COPY line at once ({@link PredictionCopyRows}), on the request's thread.
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
