package dev.keel.registry.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * @param gateThresholds deployment-gate thresholds by metric (minimums; maximums for {@code mae} and {@code rmse});
 *                       absent means {@code {"f1": 0.75}}
 */
public record CreateProjectRequest(
        @NotBlank @Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,62}$",
                message = "must be 1-63 lower-case letters, digits or '-', starting with a letter or digit") String name,
        @Size(max = 2000) String description,
        Map<String, Double> gateThresholds) {
}
