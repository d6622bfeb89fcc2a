package dev.keel.registry.entity;

import dev.keel.registry.domain.Stage;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of a model's audit trail; written once, never changed. */
@Entity
@Table(name = "stage_transitions")
public class StageTransitionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "model_id")
    private Long modelId;

    @Column(name = "version_id")
    private Long versionId;

    private int version;

    @Convert(converter = StageConverter.class)
    @Column(name = "from_stage")
    private Stage fromStage;

    @Convert(converter = StageConverter.class)
    @Column(name = "to_stage")
    private Stage toStage;

    private String kind;

    private String actor;

    private String reason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "gate_result")
    private Map<String, Object> gateResult;

    private boolean forced;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> details;

    @Column(name = "created_at")
    private Instant createdAt;

    public Long getId() {
        return id;
    }

    public Long getModelId() {
        return modelId;
    }

    public void setModelId(Long modelId) {
        this.modelId = modelId;
    }

    public Long getVersionId() {
        return versionId;
    }

    public void setVersionId(Long versionId) {
        this.versionId = versionId;
    }

    public int getVersion() {
        return version;
    }

    public void setVersion(int version) {
        this.version = version;
    }

    public Stage getFromStage() {
        return fromStage;
    }

    public void setFromStage(Stage fromStage) {
        this.fromStage = fromStage;
    }

    public Stage getToStage() {
        return toStage;
    }

    public void setToStage(Stage toStage) {
        this.toStage = toStage;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getActor() {
        return actor;
    }

    public void setActor(String actor) {
        this.actor = actor;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public Map<String, Object> getGateResult() {
        return gateResult;
    }

    public void setGateResult(Map<String, Object> gateResult) {
        this.gateResult = gateResult;
    }

    public boolean isForced() {
        return forced;
    }

    public void setForced(boolean forced) {
        this.forced = forced;
    }

    public Map<String, Object> getDetails() {
        return details;
    }

    public void setDetails(Map<String, Object> details) {
        this.details = details;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }
}
