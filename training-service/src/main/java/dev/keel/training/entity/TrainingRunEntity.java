package dev.keel.training.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A training run's record. Status changes are conditional updates in {@code TrainingRunRepository}
 * (a worker only writes a run that is still running, so a cancellation from any replica wins);
 * this entity is for reading and for creating runs.
 */
@Entity
@Table(name = "training_runs")
public class TrainingRunEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false)
    public long projectId;

    @Column(name = "model_name", nullable = false)
    public String modelName;

    @Column(name = "dataset_id")
    public Long datasetId;

    @Column(name = "dataset_fingerprint")
    public String datasetFingerprint;

    @Column(nullable = false)
    public String trigger;

    @Column(name = "triggered_by", nullable = false)
    public String triggeredBy;

    @Column(nullable = false)
    public String status;

    public String phase;

    @Column(name = "search_space", columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    public String searchSpace;

    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    public String candidates;

    @Column(name = "best_params", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String bestParams;

    @Column(name = "test_metrics", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String testMetrics;

    @Column(name = "roc_curve", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String rocCurve;

    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    public String progress;

    @Column(name = "gate_result", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String gateResult;

    @Column(name = "registered_version")
    public Integer registeredVersion;

    public String error;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    @Column(name = "duration_ms")
    public Long durationMs;

    /** The client's Idempotency-Key, if it sent one; unique in the project. */
    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** SHA-256 of the request that came with {@link #idempotencyKey}. */
    @Column(name = "request_fingerprint")
    public String requestFingerprint;
}
