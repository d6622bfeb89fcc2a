package dev.keel.inference.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Prediction records as the rows of a PostgreSQL {@code COPY ... FROM STDIN} in text format: one
 * line a record, columns split by tabs, {@code \N} for null, and backslash, tab, newline and
 * carriage return escaped inside values (the JSON of the features may hold backslashes).
 */
final class PredictionCopyRows {

    /** The columns, in the order each line carries them. */
    static final String COLUMNS = "request_id, predicted_at, project_id, model_name, model_version, features, "
            + "prediction, probability, outputs, latency_us, api_key_name";

    private final ObjectMapper json;

    PredictionCopyRows(ObjectMapper json) {
        this.json = json;
    }

    byte[] encode(List<PredictionRecord> records) {
        StringBuilder rows = new StringBuilder(records.size() * 320);
        for (PredictionRecord r : records) {
            rows.append(r.requestId()).append('\t');
            rows.append(r.predictedAt()).append('\t');   // ISO-8601 with Z, which timestamptz reads as UTC
            rows.append(r.projectId()).append('\t');
            text(rows, r.modelName()).append('\t');
            rows.append(r.modelVersion()).append('\t');
            text(rows, toJson(r.features())).append('\t');
            rows.append(r.prediction()).append('\t');
            nullable(rows, r.probability()).append('\t');
            text(rows, r.outputs() == null ? null : toJson(r.outputs())).append('\t');
            rows.append(r.latencyMicros()).append('\t');
            text(rows, r.apiKeyName()).append('\n');
        }
        return rows.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder nullable(StringBuilder rows, Object value) {
        return value == null ? rows.append("\\N") : rows.append(value);
    }

    private static StringBuilder text(StringBuilder rows, String value) {
        if (value == null) {
            return rows.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
        return rows;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Prediction record cannot be written as JSON", e);
        }
    }
}
