package dev.keel.registry.repository;

import java.util.Optional;

/**
 * Where model artifact bytes live. PostgreSQL for now (models are kilobytes to a few megabytes);
 * an object store can take its place behind this interface, recording its URI in
 * {@code model_versions.artifact_location}.
 */
public interface ArtifactStore {

    /** Stores the bytes of a version's artifact; returns its location, or null when it lives in the database. */
    String store(long versionId, byte[] content);

    Optional<byte[]> load(long versionId);
}
