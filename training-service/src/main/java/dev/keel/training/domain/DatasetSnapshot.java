package dev.keel.training.domain;

import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.ValidationReport;
import java.util.List;

/** A stored dataset's record as the training code needs it, detached from the persistence context. */
public record DatasetSnapshot(long id, long projectId, String name, String fingerprint, long rowCount, long sizeBytes,
                              String targetColumn, List<ColumnSpec> columns, ValidationReport validation) {

    public List<ColumnSpec> features() {
        return columns.stream().filter(c -> !c.name().equals(targetColumn)).toList();
    }
}
