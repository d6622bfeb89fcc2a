package dev.keel.registry.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * @param toVersion   the version to restore; absent means the one that was production before the current one
 * @param fromVersion the version the caller means to roll back: when given, nothing happens (409) unless it is
 *                    production now, so a decision taken on an older state, or the same call sent twice, cannot
 *                    roll back a version nobody looked at
 */
public record RollbackRequest(@NotBlank @Size(max = 2000) String reason, @Positive Integer toVersion,
                              @Positive Integer fromVersion) {
}
