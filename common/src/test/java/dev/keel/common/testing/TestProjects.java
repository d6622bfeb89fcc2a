package dev.keel.common.testing;

import dev.keel.common.security.ApiKeySecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Seeds a project and its API keys straight into the shared tables, for services whose tests need
 * an authenticated caller without running the registry. Names are unique per call.
 */
public final class TestProjects {

    private TestProjects() {
    }

    /** A fresh project with one key per role. */
    public static Project create(DataSource dataSource, String namePrefix) throws SQLException {
        String name = (namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO projects (name) VALUES (?) RETURNING id")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            return new Project(id, name, key(c, id, "reader", "read"), key(c, id, "writer", "write"),
                    key(c, id, "approver", "approver"), key(c, id, "admin", "admin"));
        }
    }

    /** One key per role for a project a test made otherwise (e.g. with its model rows). */
    public static Project keysFor(DataSource dataSource, long id, String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return new Project(id, name, key(c, id, "reader", "read"), key(c, id, "writer", "write"),
                    key(c, id, "approver", "approver"), key(c, id, "admin", "admin"));
        }
    }

    private static String key(Connection c, long project, String name, String role) throws SQLException {
        ApiKeySecret secret = ApiKeySecret.generate();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (project_id, name, role, key_prefix, key_hash, "
                + "created_by) VALUES (?, ?, ?, ?, ?, 'test')")) {
            ps.setLong(1, project);
            ps.setString(2, name);
            ps.setString(3, role);
            ps.setString(4, secret.prefix());
            ps.setString(5, secret.hash());
            ps.executeUpdate();
        }
        return secret.secret();
    }

    /** A seeded project: its id, name and the secret of a key for each role. */
    public record Project(long id, String name, String readKey, String writeKey, String approverKey, String adminKey) {
    }
}
