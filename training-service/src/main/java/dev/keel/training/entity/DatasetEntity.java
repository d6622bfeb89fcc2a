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
 * An uploaded dataset's record. The bytes live apart in {@code dataset_contents}, so listing
 * datasets never reads them. JSON columns are held as text and cast on write; the mapping layer
 * owns their shape.
 */
@Entity
@Table(name = "datasets")
public class DatasetEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false)
    public long projectId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "row_count", nullable = false)
    public long rowCount;

    @Column(name = "column_count", nullable = false)
    public int columnCount;

    @Column(name = "target_column", nullable = false)
    public String targetColumn;

    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    public String columns;

    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    public String validation;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
