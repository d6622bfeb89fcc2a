package dev.keel.inference.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** {@code POST /api/v1/feedback}: the true labels of earlier predictions, by their request ids. */
public record FeedbackRequest(@NotEmpty @Size(max = 10_000) List<@Valid @NotNull Item> items) {

    public record Item(@NotNull UUID requestId, @NotNull Double label) {
    }
}
