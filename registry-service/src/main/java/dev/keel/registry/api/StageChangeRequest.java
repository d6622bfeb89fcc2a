package dev.keel.registry.api;

import dev.keel.registry.domain.Stage;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * @param reason                    why, for the stage history; required with {@code force}
 * @param force                     admin only: promote to production even if the deployment gate fails
 * @param expectedProductionVersion the production version the caller decided against, 0 for none: the
 *                                  change is refused (409 naming this field) when production is another
 *                                  by now, so a decision made against a champion that has since been
 *                                  replaced is made again, not applied
 */
public record StageChangeRequest(@NotNull Stage stage, @Size(max = 2000) String reason, Boolean force,
                                 @Min(0) Integer expectedProductionVersion) {
}
