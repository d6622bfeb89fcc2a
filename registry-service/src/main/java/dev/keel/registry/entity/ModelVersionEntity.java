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
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One numbered version of a registered model: its metadata and where its artifact is. */
@Entity
@Table(name = "model_versions")
public class ModelVersionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "model_id")
    private Long modelId;

    private int version;

    @Convert(converter = StageConverter.class)
    private Stage stage;

    private String algorithm;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> params;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> metrics;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "feature_schema")
    private List<Map<String, Object>> featureSchema;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "baseline_stats")
    private Map<String, Object> baselineStats;

    @Column(name = "decision_threshold")
    private double decisionThreshold;

    @Column(name = "training_run_id")
    private Long trainingRunId;

    @Column(name = "dataset_fingerprint")
    private String datasetFingerprint;

    @Column(name = "artifact_format")
    private String artifactFormat;

    @Column(name = "artifact_sha256")
    private String artifactSha256;

    @Column(name = "artifact_size")
    private long artifactSize;

    @Column(name = "artifact_location")
    private String artifactLocation;

    private String description;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "stage_changed_at")
    private Instant stageChangedAt;

    public Long getId() {
        return id;
    }

    public Long getModelId() {
        return modelId;
    }

    public void setModelId(Long modelId) {
        this.modelId = modelId;
    }

    public int getVersion() {
        return version;
    }

    public void setVersion(int version) {
        this.version = version;
    }

    public Stage getStage() {
        return stage;
    }

    public void setStage(Stage stage) {
        this.stage = stage;
    }

    public String getAlgorithm() {
        return algorithm;
    }

    public void setAlgorithm(String algorithm) {
        this.algorithm = algorithm;
    }

    public Map<String, Object> getParams() {
        return params;
    }

    public void setParams(Map<String, Object> params) {
        this.params = params;
    }

    public Map<String, Object> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Object> metrics) {
        this.metrics = metrics;
    }

    public List<Map<String, Object>> getFeatureSchema() {
        return featureSchema;
    }

    public void setFeatureSchema(List<Map<String, Object>> featureSchema) {
        this.featureSchema = featureSchema;
    }

    public Map<String, Object> getBaselineStats() {
        return baselineStats;
    }

    public void setBaselineStats(Map<String, Object> baselineStats) {
        this.baselineStats = baselineStats;
    }

    public double getDecisionThreshold() {
        return decisionThreshold;
    }

    public void setDecisionThreshold(double decisionThreshold) {
        this.decisionThreshold = decisionThreshold;
    }

    public Long getTrainingRunId() {
        return trainingRunId;
    }

    public void setTrainingRunId(Long trainingRunId) {
        this.trainingRunId = trainingRunId;
    }

    public String getDatasetFingerprint() {
        return datasetFingerprint;
    }

    public void setDatasetFingerprint(String datasetFingerprint) {
        this.datasetFingerprint = datasetFingerprint;
    }

    public String getArtifactFormat() {
        return artifactFormat;
    }

    public void setArtifactFormat(String artifactFormat) {
        this.artifactFormat = artifactFormat;
    }

    public String getArtifactSha256() {
        return artifactSha256;
    }

    public void setArtifactSha256(String artifactSha256) {
        this.artifactSha256 = artifactSha256;
    }

    public long getArtifactSize() {
        return artifactSize;
    }

    public void setArtifactSize(long artifactSize) {
        this.artifactSize = artifactSize;
    }

    public String getArtifactLocation() {
        return artifactLocation;
    }

    public void setArtifactLocation(String artifactLocation) {
        this.artifactLocation = artifactLocation;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public void setCreatedBy(String createdBy) {
        this.createdBy = createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }

    public Instant getStageChangedAt() {
        return stageChangedAt;
    }

    public void setStageChangedAt(Instant stageChangedAt) {
        this.stageChangedAt = stageChangedAt;
    }
}
