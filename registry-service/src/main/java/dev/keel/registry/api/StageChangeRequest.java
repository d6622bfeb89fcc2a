package dev.keel.registry.api;

import dev.keel.registry.domain.Stage;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** @param force admin only: promote to production even if the deployment gate fails */
public record StageChangeRequest(@NotNull Stage stage, @Size(max = 2000) String reason, Boolean force) {
}
