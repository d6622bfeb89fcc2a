package dev.keel.registry.api;

import dev.keel.common.security.Role;
import java.time.Instant;

/** The answer to creating a key: the only time {@code key} is ever shown. */
public record CreatedApiKeyView(String name, Role role, String key, String prefix, Instant expiresAt,
                                Instant createdAt, String createdBy) {

    @Override
    public String toString() {
        return "CreatedApiKeyView[name=" + name + ", prefix=" + prefix + "]";
    }
}
