package dev.keel.registry.repository;

import dev.keel.registry.entity.ModelArtifactEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Artifacts in {@code model_artifacts}, one row per version, in the caller's transaction. */
@ApplicationScoped
public class DatabaseArtifactStore implements ArtifactStore, PanacheRepositoryBase<ModelArtifactEntity, Long> {

    @Override
    public String store(long versionId, byte[] content) {
        ModelArtifactEntity artifact = new ModelArtifactEntity();
        artifact.setVersionId(versionId);
        artifact.setContent(content);
        persist(artifact);
        return null;
    }

    @Override
    public Optional<byte[]> load(long versionId) {
        return findByIdOptional(versionId).map(ModelArtifactEntity::getContent);
    }
}
