package dev.keel.registry.api;

/** Where and what a version's artifact is; {@code download} is the path to GET its bytes. */
public record ArtifactView(String format, String sha256, long size, String download) {
}
