package dev.keel.drift.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Read-only access to the registry's {@code registered_models} and {@code model_versions}: the
 * one shared read drift makes instead of a REST hop, because baselines are needed on every
 * /monitor call and every scheduled report. Drift never writes these tables.
 */
@ApplicationScoped
public class ModelVersionRepository {

    private static final String SELECT = """
            SELECT p.id, p.name, m.id, m.name, v.id, v.version, v.stage, v.baseline_stats::text, v.metrics::text,
                   v.decision_threshold, v.params->>'objective'
            FROM model_versions v
            JOIN registered_models m ON m.id = v.model_id
            JOIN projects p ON p.id = m.project_id
            """;

    private final DataSource dataSource;
    private final ObjectMapper json;

    public ModelVersionRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** A numbered version, or the production one when {@code version} is empty. */
    public Optional<ModelVersionRef> find(long projectId, String model, Optional<Integer> version) {
        String sql = SELECT + " WHERE p.id = ? AND m.name = ? AND "
                + (version.isPresent() ? "v.version = ?" : "v.stage = 'production'");
        return one(sql, ps -> {
            ps.setLong(1, projectId);
            ps.setString(2, model);
            if (version.isPresent()) {
                ps.setInt(3, version.get());
            }
        });
    }

    /** Every production version, for the scheduled jobs. */
    public List<ModelVersionRef> production() {
        return many(SELECT + " WHERE v.stage = 'production' ORDER BY p.name, m.name", ps -> { });
    }

    /** Whether the project has a registered model of that name. */
    public boolean modelExists(long projectId, String model) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT EXISTS (SELECT 1 FROM registered_models WHERE project_id = ? AND name = ?)")) {
            ps.setLong(1, projectId);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new RepositoryException("reading registered models", e);
        }
    }

    /** Whether any version has baseline statistics at all (the seed's "baseline data loaded"). */
    public boolean anyBaseline() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM model_versions WHERE baseline_stats IS NOT NULL)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new RepositoryException("reading model versions", e);
        }
    }

    private Optional<ModelVersionRef> one(String sql, Binder binder) {
        List<ModelVersionRef> all = many(sql, binder);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private List<ModelVersionRef> many(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<ModelVersionRef> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ModelVersionRef(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getLong(5), rs.getInt(6), rs.getString(7), rs.getString(8), metrics(rs.getString(9)),
                            rs.getDouble(10), rs.getString(11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepositoryException("reading model versions", e);
        }
    }

    private JsonNode metrics(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (java.io.IOException e) {
            return json.createObjectNode();
        }
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}
