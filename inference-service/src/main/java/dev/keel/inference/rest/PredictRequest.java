package dev.keel.inference.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/** {@code POST /api/v1/predict}: one row of named features for a model of the caller's project. */
public record PredictRequest(@NotBlank String model, @NotNull Map<String, Object> features) {
}
