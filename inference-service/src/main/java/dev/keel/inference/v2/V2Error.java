package dev.keel.inference.v2;

/** The protocol's error body: {@code {"error": "..."}}. */
public record V2Error(String error) {
}
