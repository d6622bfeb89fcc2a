package dev.keel.training.api;

import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.ValidationReport;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A stored dataset: its fingerprint (SHA-256 of the uploaded bytes), size, the inferred type of
 * every column and the validation report.
 */
public record DatasetView(long id, String name, String fingerprint, long rowCount, int columnCount, String targetColumn,
                          String positiveClass, List<ColumnSpec> columns, ValidationReport validation, long sizeBytes,
                          String createdBy, OffsetDateTime createdAt) {
}
