package dev.keel.drift.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.stats.DriftCalculator;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Streams the features of logged predictions (the inference service's partitioned table, a
 * shared read) with a server-side cursor, so a window of millions of rows is never in memory.
 */
@ApplicationScoped
public class PredictionLogReader {

    private static final int FETCH_SIZE = 2000;
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() { };

    private final DataSource dataSource;
    private final ObjectMapper json;

    public PredictionLogReader(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** A re-readable source of the window's feature rows for the drift calculator. */
    public DriftCalculator.CurrentData features(ModelVersionRef version, PredictionWindow window) {
        return current -> scan(version, window, row -> current.acceptRow(row));
    }

    /** The time span the window actually covers: first and last prediction time, and the count. */
    public Span span(ModelVersionRef version, PredictionWindow window) {
        String inner = selectSql(version, window, "predicted_at");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT min(predicted_at), max(predicted_at), count(*) FROM ("
                     + inner + ") w")) {
            bind(ps, version, window);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp first = rs.getTimestamp(1);
                Timestamp last = rs.getTimestamp(2);
                return new Span(first == null ? null : first.toInstant(), last == null ? null : last.toInstant(), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new RepositoryException("reading the prediction log", e);
        }
    }

    public record Span(Instant first, Instant last, long rows) {
    }

    interface RowConsumer {
        void accept(Map<String, Object> row);
    }

    private void scan(ModelVersionRef version, PredictionWindow window, RowConsumer consumer) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            // PostgreSQL only streams with a cursor inside a transaction
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(selectSql(version, window, "features::text"))) {
                ps.setFetchSize(FETCH_SIZE);
                bind(ps, version, window);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(json.readValue(rs.getString(1), ROW));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException | IOException e) {
            throw new RepositoryException("reading the prediction log", e);
        }
    }

    private static String selectSql(ModelVersionRef version, PredictionWindow window, String columns) {
        if (window.lastN() != null) {
            return "SELECT " + columns + " FROM predictions WHERE project_id = ? AND model_name = ? AND model_version = ?"
                    + " AND predicted_at < ? ORDER BY predicted_at DESC LIMIT ?";
        }
        return "SELECT " + columns + " FROM predictions WHERE project_id = ? AND model_name = ? AND model_version = ?"
                + " AND predicted_at >= ? AND predicted_at < ?";
    }

    private static void bind(PreparedStatement ps, ModelVersionRef version, PredictionWindow window) throws SQLException {
        ps.setLong(1, version.projectId());
        ps.setString(2, version.modelName());
        ps.setInt(3, version.version());
        if (window.lastN() != null) {
            ps.setTimestamp(4, Timestamp.from(window.end()));
            ps.setInt(5, window.lastN());
        } else {
            ps.setTimestamp(4, Timestamp.from(window.start()));
            ps.setTimestamp(5, Timestamp.from(window.end()));
        }
    }
}
