package dev.keel.training.data;

import java.util.List;

/** Everything one pass over an uploaded CSV learns about it. */
public record DatasetProfile(List<ColumnSpec> columns, String targetColumn, long rowCount, ValidationReport validation) {

    /** The columns a model is trained on: all but the target, in file order. */
    public List<ColumnSpec> features() {
        return columns.stream().filter(c -> !c.name().equals(targetColumn)).toList();
    }
}
