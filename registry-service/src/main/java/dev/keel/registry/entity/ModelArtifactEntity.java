package dev.keel.registry.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The bytes of a version's artifact, apart from its metadata so listing versions never reads them. */
@Entity
@Table(name = "model_artifacts")
public class ModelArtifactEntity {

    @Id
    @Column(name = "version_id")
    private Long versionId;

    private byte[] content;

    public Long getVersionId() {
        return versionId;
    }

    public void setVersionId(Long versionId) {
        this.versionId = versionId;
    }

    public byte[] getContent() {
        return content;
    }

    public void setContent(byte[] content) {
        this.content = content;
    }
}
