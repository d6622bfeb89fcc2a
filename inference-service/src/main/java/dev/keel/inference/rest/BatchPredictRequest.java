package dev.keel.inference.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.Map;

/** {@code POST /api/v1/predict/batch}: rows of named features, answered by one model version. */
public record BatchPredictRequest(@NotBlank String model, @NotEmpty List<Map<String, Object>> instances) {
}
