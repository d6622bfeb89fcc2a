package dev.keel.common.security;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do inside its project. {@code read < write < admin}; {@code approver} is a
 * reader who may also approve the agent's proposed actions. An admin may do everything.
 */
public enum Role {
    READ,
    WRITE,
    APPROVER,
    ADMIN;

    /** The role as it appears in JSON, in the database and in error messages. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a key with this role may do what {@code required} guards. */
    public boolean satisfies(Role required) {
        return switch (required) {
            case READ -> true;
            case WRITE -> this == WRITE || this == ADMIN;
            case APPROVER -> this == APPROVER || this == ADMIN;
            case ADMIN -> this == ADMIN;
        };
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }

}
