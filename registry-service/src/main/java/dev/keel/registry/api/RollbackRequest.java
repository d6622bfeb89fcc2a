package dev.keel.registry.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** @param toVersion the version to restore; absent means the one that was production before the current one */
public record RollbackRequest(@NotBlank @Size(max = 2000) String reason, @Positive Integer toVersion) {
}
