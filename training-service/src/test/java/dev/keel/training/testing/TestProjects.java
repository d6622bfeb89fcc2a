package dev.keel.training.testing;

import dev.keel.common.security.ApiKeySecret;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

import static io.restassured.RestAssured.given;

/**
 * Projects and API keys for tests, written straight into the registry's tables (the registry owns
 * them; a test is its own registry). Names are random so tests never see each other's data in the
 * shared test database.
 */
public final class TestProjects {

    /** The bootstrap key of the test profile ({@code %test.keel.admin-key}). */
    public static final String ADMIN_KEY = "test-bootstrap-key-0123456789abcdef0123456789abcdef";

    private TestProjects() {
    }

    public record Project(long id, String name) {

        /** A request as the bootstrap admin acting on this project. */
        public RequestSpecification asAdmin() {
            return given().header("Authorization", "Bearer " + ADMIN_KEY).queryParam("project", name);
        }
    }

    public static Project create(DataSource db) {
        return create(db, "t-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Creates the project, or finds it when a previous test run left it behind. */
    public static Project create(DataSource db, String name) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO projects (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Project(rs.getLong(1), name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A project key with the given role; returns the secret to send. */
    public static String key(DataSource db, Project project, String role) {
        ApiKeySecret secret = ApiKeySecret.generate();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_keys (project_id, name, role, key_prefix, key_hash, created_by) VALUES (?, ?, ?, ?, ?, 'test')")) {
            ps.setLong(1, project.id());
            ps.setString(2, role + "-" + UUID.randomUUID().toString().substring(0, 6));
            ps.setString(3, role);
            ps.setString(4, secret.prefix());
            ps.setString(5, secret.hash());
            ps.executeUpdate();
            return secret.secret();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A registered model row, as the registry would write it, created at the given time. */
    public static void registerModel(DataSource db, Project project, String model, String retrainCron,
                                     java.time.Instant createdAt) {
        registerModel(db, project, model, retrainCron, null, createdAt);
    }

    /** The same, with the registry's retrain_source (null: the default). */
    public static void registerModel(DataSource db, Project project, String model, String retrainCron, String retrainSource,
                                     java.time.Instant createdAt) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO registered_models (project_id, name, retrain_cron, retrain_source, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, project.id());
            ps.setString(2, model);
            ps.setString(3, retrainCron);
            ps.setString(4, retrainSource);
            ps.setTimestamp(5, java.sql.Timestamp.from(createdAt));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A finished run of the model on the dataset, as if it had been trained before. */
    public static void finishedRun(DataSource db, Project project, String model, long dataset) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO training_runs (project_id, model_name, dataset_id, trigger, triggered_by, status, finished_at)
                VALUES (?, ?, ?, 'manual', 'test', 'succeeded', now())""")) {
            ps.setLong(1, project.id());
            ps.setString(2, model);
            ps.setLong(3, dataset);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the project's registered models (the registry's rows), so no later schedule tick finds them again. */
    public static void forgetModels(DataSource db, Project project) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM registered_models WHERE project_id = ?")) {
            ps.setLong(1, project.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
