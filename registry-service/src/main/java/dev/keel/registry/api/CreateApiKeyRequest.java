package dev.keel.registry.api;

import dev.keel.common.security.Role;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;

public record CreateApiKeyRequest(
        @NotBlank @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                message = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit") String name,
        @NotNull Role role,
        @Future Instant expiresAt) {
}
