package dev.keel.registry.api;

import dev.keel.common.security.Role;
import java.time.Instant;

/** A key as listings show it: never the secret. {@code status} is active, expired or revoked. */
public record ApiKeyView(String name, Role role, String prefix, String status, String createdBy, Instant createdAt,
                         Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
}
