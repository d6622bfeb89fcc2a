package dev.keel.training.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Read-only view of the registry's models for scheduling decisions. The registry owns these tables;
 * this service never writes them.
 */
@ApplicationScoped
public class ModelCatalog {

    /**
     * A registered model as the scheduler sees it.
     *
     * @param retrainSource the registry's retrain_source, null for the default (auto)
     */
    public record ScheduledModel(long projectId, String project, String model, String retrainCron, String retrainSource,
                                 Instant createdAt) {
    }

    private final DataSource dataSource;

    public ModelCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<ScheduledModel> all() {
        return query("", null, null);
    }

    public Optional<ScheduledModel> find(long projectId, String model) {
        return query(" WHERE m.project_id = ? AND m.name = ?", projectId, model).stream().findFirst();
    }

    /** A project's name by id; the registry API names projects, rows hold their ids. */
    public Optional<String> projectName(long projectId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name FROM projects WHERE id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading project " + projectId + " failed: " + e.getMessage(), e);
        }
    }

    private List<ScheduledModel> query(String where, Long projectId, String model) {
        String sql = "SELECT p.id, p.name, m.name, m.retrain_cron, m.retrain_source, m.created_at FROM registered_models m "
                + "JOIN projects p ON p.id = m.project_id" + where + " ORDER BY p.name, m.name";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (projectId != null) {
                ps.setLong(1, projectId);
                ps.setString(2, model);
            }
            List<ScheduledModel> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScheduledModel(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading registered models failed: " + e.getMessage(), e);
        }
    }
}
