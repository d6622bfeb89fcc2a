package dev.keel.common.security;

/** The outcome of checking a presented API key. */
public sealed interface Authentication {

    /** The key is valid: here is who presented it. */
    record Authenticated(Caller caller) implements Authentication {
    }

    /** The key does not grant access; {@code reason} is safe to show the client (it never echoes the key). */
    record Rejected(String reason) implements Authentication {
    }
}
