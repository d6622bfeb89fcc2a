package dev.keel.inference.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * Prediction records as the rows of a PostgreSQL {@code COPY ... FROM STDIN} in text format: one
 * line a record, columns split by tabs, {@code \N} for null, and backslash, tab, newline and
 * carriage return escaped inside values (the JSON of the features may hold backslashes).
 *
 * <p>A record becomes its line as soon as it is handed over, on the request's thread: the queue and
 * the spill file then hold one byte array a record instead of the request's map of boxed feature
 * values, which is what a young-generation collection would otherwise copy while the record waits
 * for its batch (tens of objects a record, tens of thousands of records a second).
 */
final class PredictionCopyRows {

    /** The columns, in the order each line carries them. */
    static final String COLUMNS = "request_id, predicted_at, project_id, model_name, model_version, features, "
            + "prediction, probability, outputs, latency_us, api_key_name";

    private final ObjectMapper json;

    PredictionCopyRows(ObjectMapper json) {
        this.json = json;
    }

    /** One record as one line, newline included, ready to be sent as it is. */
    byte[] line(PredictionRecord r) {
        StringBuilder row = new StringBuilder(320);
        row.append(r.requestId()).append('\t');
        row.append(r.predictedAt()).append('\t');   // ISO-8601 with Z, which timestamptz reads as UTC
        row.append(r.projectId()).append('\t');
        text(row, r.modelName()).append('\t');
        row.append(r.modelVersion()).append('\t');
        text(row, toJson(r.features())).append('\t');
        row.append(r.prediction()).append('\t');
        nullable(row, r.probability()).append('\t');
        text(row, r.outputs() == null ? null : toJson(r.outputs())).append('\t');
        row.append(r.latencyMicros()).append('\t');
        text(row, r.apiKeyName()).append('\n');
        return row.toString().getBytes(StandardCharsets.UTF_8);
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
