package dev.keel.registry.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

public record CreateModelRequest(
        @NotBlank @Pattern(regexp = ModelNames.PATTERN, message = ModelNames.MESSAGE) String name,
        @Size(max = 2000) String description,
        Map<String, String> tags,
        Map<String, Double> gateThresholds) {
}
