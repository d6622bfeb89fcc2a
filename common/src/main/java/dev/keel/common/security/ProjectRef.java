package dev.keel.common.security;

/** A project a request acts on, resolved and access-checked by {@link CurrentCaller}. */
public record ProjectRef(long id, String name) {
}
