package dev.keel.registry.api;

import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Absent fields stay as they are; a threshold change is audited with {@code reason}. */
public record UpdateVersionRequest(
        @Schema(minimum = "0", maximum = "1") Double decisionThreshold,
        @Size(max = 2000) String description,
        @Size(max = 2000) String reason) {
}
