package dev.keel.drift.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Raises alerts in the shared {@code alerts} table (the agent service owns their lifecycle). The
 * schema allows one open alert per project, model and kind; a repeat bumps its occurrences and
 * refreshes severity, message and evidence instead of piling up rows.
 */
@ApplicationScoped
public class AlertRepository {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public AlertRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The open alert's id and how often it has now occurred. */
    public record Raised(long id, int occurrences) {
    }

    /** Whether the model's alert of this kind was raised or bumped at or after {@code since}, whatever its status now. */
    public boolean raisedSince(long projectId, String modelName, String kind, Instant since) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM alerts WHERE project_id = ? AND model_name = ? AND kind = ? AND last_seen_at >= ?)")) {
            ps.setLong(1, projectId);
            ps.setString(2, modelName);
            ps.setString(3, kind);
            ps.setTimestamp(4, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new RepositoryException("reading alerts", e);
        }
    }

    public Raised raise(long projectId, String modelName, String kind, String severity, String title, String message,
                        Map<String, ?> evidence) {
        String sql = """
                INSERT INTO alerts (project_id, model_name, kind, severity, title, message, evidence, source)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, 'drift-service')
                ON CONFLICT (project_id, coalesce(model_name, ''), kind) WHERE status <> 'resolved'
                DO UPDATE SET occurrences = alerts.occurrences + 1, last_seen_at = now(),
                              severity = EXCLUDED.severity, title = EXCLUDED.title,
                              message = EXCLUDED.message, evidence = EXCLUDED.evidence
                RETURNING id, occurrences
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setString(2, modelName);
            ps.setString(3, kind);
            ps.setString(4, severity);
            ps.setString(5, title);
            ps.setString(6, message);
            ps.setString(7, json.writeValueAsString(evidence));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Raised(rs.getLong(1), rs.getInt(2));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new RepositoryException("raising an alert", e);
        }
    }
}
