package dev.keel.registry.mapping;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.features.FeatureSpec;
import dev.keel.registry.domain.GateResult;
import dev.keel.registry.domain.ModelMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Converts the typed values the registry works with to and from the plain maps its JSONB columns
 * hold. The columns are maps so that Hibernate's JSON mapping never needs to know our records, and
 * the records go through the application's ObjectMapper, so a document in the database is spelt
 * exactly like the same document in the API (snake_case). Reading tolerates fields a later version
 * may add.
 */
@ApplicationScoped
public class JsonDocuments {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper writer;
    private final ObjectMapper reader;

    public JsonDocuments(ObjectMapper mapper) {
        this.writer = mapper;
        this.reader = mapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public Map<String, Object> toMap(Object value) {
        return value == null ? null : writer.convertValue(value, MAP);
    }

    public ModelMetrics metrics(Map<String, Object> document) {
        return document == null ? ModelMetrics.none() : reader.convertValue(document, ModelMetrics.class);
    }

    public List<Map<String, Object>> featureSchemaDocument(List<FeatureSpec> schema) {
        return schema.stream().map(this::toMap).toList();
    }

    public List<FeatureSpec> featureSchema(List<Map<String, Object>> document) {
        return document == null ? List.of() : document.stream().map(m -> reader.convertValue(m, FeatureSpec.class)).toList();
    }

    public GateResult gateResult(Map<String, Object> document) {
        return document == null ? null : reader.convertValue(document, GateResult.class);
    }

    public ObjectMapper mapper() {
        return writer;
    }
}
