package dev.keel.registry.entity;

import dev.keel.registry.domain.Stage;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stages are stored as the lower-case names the schema's CHECK constraints list. */
@Converter
public class StageConverter implements AttributeConverter<Stage, String> {

    @Override
    public String convertToDatabaseColumn(Stage stage) {
        return stage == null ? null : stage.wireName();
    }

    @Override
    public Stage convertToEntityAttribute(String value) {
        return value == null ? null : Stage.fromWireName(value)
                .orElseThrow(() -> new IllegalStateException("unknown stage in the database: " + value));
    }
}
