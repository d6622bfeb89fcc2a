package dev.keel.common.security;

import dev.keel.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Finds projects by name or id with plain JDBC: for requests made with the bootstrap key, which
 * names the project it acts on instead of belonging to one, and for calls a service makes on a
 * project's behalf. Not cached: a project created a moment ago must
 * be found.
 */
@ApplicationScoped
public class ProjectDirectory {

    private final DataSource dataSource;

    public ProjectDirectory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<ProjectRef> byName(String name) {
        return find("SELECT id, name FROM projects WHERE name = ?", name);
    }

    public Optional<ProjectRef> byId(long id) {
        return find("SELECT id, name FROM projects WHERE id = ?", id);
    }

    private Optional<ProjectRef> find(String sql, Object key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ProjectRef(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Project lookup failed", e);
        }
    }

    ProjectRef require(String name) {
        return byName(name).orElseThrow(() -> ProblemException.notFound("Project", name));
    }
}
