package dev.keel.training.api;

import dev.keel.training.learning.SearchStrategy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** How to search: {@code grid} or {@code random}, with at most {@code budget} candidates. */
public record SearchRequest(SearchStrategy strategy, @Min(1) @Max(500) Integer budget) {
}
