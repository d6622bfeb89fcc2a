package dev.keel.inference.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads back a project's logged predictions, newest first. Only what the writer has flushed is
 * here: a prediction still in the log's queue (or spilled while PostgreSQL was away) shows up once
 * it reaches the table.
 */
@ApplicationScoped
public class PredictionHistory {

    /** One row of the {@code predictions} table; {@code features} is the request's JSON object as logged. */
    public record LoggedPrediction(UUID requestId, String modelName, int modelVersion, double prediction,
                                   Double probability, int latencyMicros, Instant predictedAt, String apiKeyName,
                                   JsonNode features) {
    }

    private static final String COLUMNS = "SELECT request_id, model_name, model_version, prediction, probability, "
            + "latency_us, predicted_at, api_key_name, features::text FROM predictions WHERE project_id = ?";
    // every partition is scanned backwards through its (project_id, model_name, model_version, predicted_at)
    // index or its own order; request_id breaks ties within a microsecond so pages are stable
    private static final String ORDER = " ORDER BY predicted_at DESC, request_id DESC LIMIT ?";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public PredictionHistory(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The project's {@code limit} most recent predictions, of {@code modelName} only when it is not null. */
    public List<LoggedPrediction> recent(long projectId, String modelName, int limit) throws SQLException {
        String sql = COLUMNS + (modelName == null ? "" : " AND model_name = ?") + ORDER;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, projectId);
            if (modelName != null) {
                ps.setString(i++, modelName);
            }
            ps.setInt(i, limit);
            List<LoggedPrediction> out = new ArrayList<>(Math.min(limit, 64));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double p = rs.getDouble(5);
                    Double probability = rs.wasNull() ? null : p;
                    out.add(new LoggedPrediction(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                            rs.getDouble(4), probability, rs.getInt(6),
                            rs.getTimestamp(7).toInstant(), rs.getString(8), features(rs.getString(9))));
                }
            }
            return out;
        }
    }

    private JsonNode features(String text) throws SQLException {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("the predictions table holds features that are not JSON", e);
        }
    }
}
