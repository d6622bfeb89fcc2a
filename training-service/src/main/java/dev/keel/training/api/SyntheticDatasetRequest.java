package dev.keel.training.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A synthetic heart-disease dataset to generate and store.
 *
 * @param drift shift per feature name (see the generator endpoint); none when absent
 */
public record SyntheticDatasetRequest(@Size(min = 1, max = 200) String name, @NotNull @Min(20) @Max(2_000_000) Long rows,
                                      Long seed, Map<String, Double> drift) {
}
