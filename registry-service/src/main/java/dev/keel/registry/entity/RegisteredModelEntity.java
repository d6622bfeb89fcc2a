package dev.keel.registry.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "registered_models")
public class RegisteredModelEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "project_id")
    private Long projectId;

    private String name;

    private String description;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> tags;

    /** Overrides of the project's thresholds, metric by metric; null means none. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "gate_thresholds")
    private Map<String, Double> gateThresholds;

    /** Its retraining cron (UTC); null means training's default. */
    @Column(name = "retrain_cron")
    private String retrainCron;

    /** Where its retraining takes its data (RetrainSource's wire form); null means auto. */
    @Column(name = "retrain_source")
    private String retrainSource;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    public Long getId() {
        return id;
    }

    public Long getProjectId() {
        return projectId;
    }

    public void setProjectId(Long projectId) {
        this.projectId = projectId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    public void setTags(Map<String, String> tags) {
        this.tags = tags;
    }

    public Map<String, Double> getGateThresholds() {
        return gateThresholds;
    }

    public void setGateThresholds(Map<String, Double> gateThresholds) {
        this.gateThresholds = gateThresholds;
    }

    public String getRetrainCron() {
        return retrainCron;
    }

    public void setRetrainCron(String retrainCron) {
        this.retrainCron = retrainCron;
    }

    public String getRetrainSource() {
        return retrainSource;
    }

    public void setRetrainSource(String retrainSource) {
        this.retrainSource = retrainSource;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
    }
}
