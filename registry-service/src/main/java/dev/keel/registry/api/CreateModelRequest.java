package dev.keel.registry.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * @param retrainCron   when the model is retrained (UTC; Quartz or five-field cron); absent: training's default
 * @param retrainSource from what: auto (the default), latest, feedback or dataset:&lt;id&gt;
 */
public record CreateModelRequest(
        @NotBlank @Pattern(regexp = ModelNames.PATTERN, message = ModelNames.MESSAGE) String name,
        @Size(max = 2000) String description,
        Map<String, String> tags,
        Map<String, Double> gateThresholds,
        @Size(max = 200) String retrainCron,
        @Size(max = 100) String retrainSource) {
}
