package dev.keel.training.mapping;

import dev.keel.training.api.DatasetView;
import dev.keel.training.data.ColumnSpec;
import dev.keel.training.data.ValidationReport;
import dev.keel.training.entity.DatasetEntity;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class DatasetMapper {

    private final JsonColumns json;

    public DatasetMapper(JsonColumns json) {
        this.json = json;
    }

    public DatasetView toView(DatasetEntity d) {
        ValidationReport validation = json.read(d.validation, ValidationReport.class);
        return new DatasetView(d.id, d.name, d.fingerprint, d.rowCount, d.columnCount, d.targetColumn,
                validation.positiveClass(), json.read(d.columns, new TypeReference<List<ColumnSpec>>() { }), validation,
                d.sizeBytes, d.createdBy, d.createdAt);
    }
}
