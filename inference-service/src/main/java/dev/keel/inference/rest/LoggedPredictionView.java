package dev.keel.inference.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.inference.service.PredictionHistory.LoggedPrediction;
import java.time.Instant;
import java.util.UUID;

/**
 * A logged prediction as the prediction-log listing shows it: the predict response's own names
 * ({@code model}, {@code version}) plus when, how fast, by which key, and the features it was given.
 *
 * @param probability null for models without one (regression)
 * @param apiKeyName  the key the caller used ({@code bootstrap-admin} for the bootstrap key)
 */
public record LoggedPredictionView(UUID requestId, String model, int version, double prediction, Double probability,
                                   double latencyMs, Instant predictedAt, String apiKeyName, JsonNode features) {

    static LoggedPredictionView of(LoggedPrediction p) {
        return new LoggedPredictionView(p.requestId(), p.modelName(), p.modelVersion(), p.prediction(), p.probability(),
                p.latencyMicros() / 1000.0, p.predictedAt(), p.apiKeyName(), p.features());
    }
}
