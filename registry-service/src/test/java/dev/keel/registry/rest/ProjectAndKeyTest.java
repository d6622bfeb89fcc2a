package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.asBootstrap;
import static dev.keel.registry.Fixtures.newProject;
import static dev.keel.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.keel.common.security.ApiKeySecret;
import dev.keel.registry.service.ApiKeyService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Projects are namespaces; API keys belong to one, carry a role, and are stored only as a hash. */
@QuarkusTest
class ProjectAndKeyTest {

    @Inject
    DataSource dataSource;

    @Test
    void theBootstrapAdminCreatesAProjectWithTheDefaultGate() {
        String name = unique("churn");
        asBootstrap().contentType("application/json").body(Map.of("name", name, "description", "Churn models"))
                .when().post("/api/v1/projects")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/projects/" + name))
                .body("name", equalTo(name))
                .body("description", equalTo("Churn models"))
                .body("gate_thresholds.f1", equalTo(0.75f));
        asBootstrap().when().get("/api/v1/projects/" + name).then().statusCode(200).body("name", equalTo(name));
        asBootstrap().when().get("/api/v1/projects").then().statusCode(200).body("name", hasItem(name));
    }

    @Test
    void projectNamesAreUniqueAndWellFormed() {
        String name = newProject();
        asBootstrap().contentType("application/json").body(Map.of("name", name))
                .when().post("/api/v1/projects").then().statusCode(409);
        asBootstrap().contentType("application/json").body(Map.of("name", "Not Valid!"))
                .when().post("/api/v1/projects")
                .then().statusCode(400).body("field", equalTo("name"));
        asBootstrap().contentType("application/json").body(Map.of("name", unique("p"), "gate_thresholds", Map.of("lift", 0.5)))
                .when().post("/api/v1/projects")
                .then().statusCode(422).body("detail", equalTo("gate_thresholds.lift: not a metric the gate can check; "
                        + "use one of [accuracy, precision, recall, f1, roc_auc, r2, mae, rmse]"));
    }

    @Test
    void aKeyIsShownOnceAndStoredOnlyAsItsHash() throws SQLException {
        String project = newProject();
        String name = unique("ci");
        String key = asBootstrap().contentType("application/json").body(Map.of("name", name, "role", "write"))
                .when().post("/api/v1/projects/" + project + "/keys")
                .then().statusCode(201)
                .header("Location", endsWith("/keys/" + name))
                .header("Cache-Control", "no-store")
                .body("role", equalTo("write"))
                .body("created_by", equalTo("bootstrap-admin"))
                .body("key", matchesPattern("keel_[0-9A-Za-z]{40}"))
                .extract().path("key");

        asBootstrap().when().get("/api/v1/projects/" + project + "/keys")
                .then().statusCode(200)
                .body("[0].name", equalTo(name))
                .body("[0].prefix", equalTo(key.substring(0, 11)))
                .body("[0].status", equalTo("active"))
                .body("[0].key", nullValue())
                .body("toString()", not(org.hamcrest.Matchers.containsString(key.substring(11))));

        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("key_hash")).isEqualTo(ApiKeySecret.hash(key));
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    assertThat(String.valueOf(rs.getObject(i))).as(rs.getMetaData().getColumnName(i)).doesNotContain(key.substring(11));
                }
            }
        }
    }

    @Test
    void aProjectAdminManagesItsOwnKeys() {
        String project = newProject();
        String admin = dev.keel.registry.Fixtures.newKey(project, "admin");
        String name = unique("dashboard");
        String reader = as(admin).contentType("application/json").body(Map.of("name", name, "role", "read"))
                .when().post("/api/v1/projects/" + project + "/keys")
                .then().statusCode(201).body("created_by", not(equalTo("bootstrap-admin")))
                .extract().path("key");
        as(admin).contentType("application/json").body(Map.of("name", name, "role", "read"))
                .when().post("/api/v1/projects/" + project + "/keys").then().statusCode(409);
        as(reader).when().get("/api/v1/projects/" + project).then().statusCode(200);

        as(admin).when().delete("/api/v1/projects/" + project + "/keys/" + name).then().statusCode(204);
        as(admin).when().delete("/api/v1/projects/" + project + "/keys/no-such-key").then().statusCode(404);
        as(reader).when().get("/api/v1/projects/" + project).then().statusCode(401);
        as(admin).when().get("/api/v1/projects/" + project + "/keys")
                .then().body("find { it.name == '" + name + "' }.status", equalTo("revoked"));
    }

    @Test
    void twoRevocationsAtOnceBothAnswer204AndTheFirstOnesTimeAndLogLineStand() throws Exception {
        String project = newProject();
        String admin = dev.keel.registry.Fixtures.newKey(project, "admin");
        String name = unique("leaked");
        as(admin).contentType("application/json").body(Map.of("name", name, "role", "write"))
                .when().post("/api/v1/projects/" + project + "/keys").then().statusCode(201);
        RevocationLines lines = new RevocationLines(name);
        revocationLog.addHandler(lines);
        ExecutorService admins = Executors.newFixedThreadPool(2);
        try (Connection held = dataSource.getConnection()) {
            // the key's row is held locked, so the first revocation waits for it, then the second behind it
            held.setAutoCommit(false);
            try (PreparedStatement lock = held.prepareStatement(
                    "SELECT k.id FROM api_keys k JOIN projects p ON p.id = k.project_id "
                            + "WHERE p.name = ? AND k.name = ? FOR UPDATE")) {
                lock.setString(1, project);
                lock.setString(2, name);
                lock.executeQuery().close();
            }
            Future<Integer> first = admins.submit(() -> as(admin).when()
                    .delete("/api/v1/projects/" + project + "/keys/" + name).statusCode());
            awaitWaitingForKeyLocks(1);
            Instant beforeTheSecond = Instant.now();
            Future<Integer> second = admins.submit(() -> as(admin).when()
                    .delete("/api/v1/projects/" + project + "/keys/" + name).statusCode());
            awaitWaitingForKeyLocks(2);
            held.rollback();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(204);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(204);

            Instant revokedAt = revokedAt(project, name);
            assertThat(revokedAt).as("the first revocation's time").isBefore(beforeTheSecond);
            // once more, in turn: still 204, nothing changed, nothing logged
            as(admin).when().delete("/api/v1/projects/" + project + "/keys/" + name).then().statusCode(204);
            assertThat(revokedAt(project, name)).isEqualTo(revokedAt);
            assertThat(lines.count()).as("log lines saying the key was revoked").isEqualTo(1);
        } finally {
            revocationLog.removeHandler(lines);
            admins.shutdown();
        }
        as(admin).when().get("/api/v1/projects/" + project + "/keys")
                .then().body("find { it.name == '" + name + "' }.status", equalTo("revoked"));
    }

    // a strong reference: a logger only referenced by name may be collected with its handler
    private final Logger revocationLog = Logger.getLogger(ApiKeyService.class.getName());

    /** Counts the log lines saying the named key was revoked. */
    private static final class RevocationLines extends Handler {
        private final String name;
        private final AtomicInteger count = new AtomicInteger();

        RevocationLines(String name) {
            this.name = name;
        }

        int count() {
            return count.get();
        }

        @Override
        public void publish(LogRecord record) {
            Object[] parameters = record.getParameters();
            String message = parameters == null || parameters.length == 0 ? record.getMessage()
                    : String.format(record.getMessage(), parameters);
            if (message.contains("API key " + name + " ") && message.contains("revoked by")) {
                count.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private Instant revokedAt(String project, String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT k.revoked_at FROM api_keys k JOIN projects p "
                     + "ON p.id = k.project_id WHERE p.name = ? AND k.name = ?")) {
            ps.setString(1, project);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Timestamp at = rs.getTimestamp(1);
                assertThat(at).as("revoked_at").isNotNull();
                return at.toInstant();
            }
        }
    }

    /** Waits until {@code count} sessions of this database wait for a lock on an API key's row. */
    private void awaitWaitingForKeyLocks(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) "
                    + "FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                    + "AND query ILIKE '%api_keys%'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= count) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + count + " revocations to wait for the key's row");
    }

    @Test
    void anUnknownRoleIsABadRequest() {
        String project = newProject();
        asBootstrap().contentType("application/json").body(Map.of("name", "k", "role", "root"))
                .when().post("/api/v1/projects/" + project + "/keys")
                .then().statusCode(400).body("field", equalTo("role"));
    }

    @Test
    void anExpiryBeyondTheYear9999IsABadRequestNamingExpiresAt() throws SQLException {
        String project = newProject();
        // Java reads it; PostgreSQL's timestamptz cannot hold it (it was a 500)
        asBootstrap().contentType("application/json")
                .body(Map.of("name", "far", "role", "read", "expires_at", "+999999999-12-31T23:59:59Z"))
                .when().post("/api/v1/projects/" + project + "/keys")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("expires_at"))
                .body("detail", equalTo("expires_at: must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"));
        asBootstrap().contentType("application/json")
                .body(Map.of("name", "far", "role", "read", "expires_at", "9999-12-31T23:59:59Z"))
                .when().post("/api/v1/projects/" + project + "/keys")
                .then().statusCode(201).body("expires_at", equalTo("9999-12-31T23:59:59Z"));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM api_keys k JOIN projects p ON p.id = k.project_id WHERE p.name = ?""")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void anAdminSetsTheProjectsGateThresholds() {
        String project = newProject();
        String write = dev.keel.registry.Fixtures.newKey(project, "write");
        as(write).contentType("application/json").body(Map.of("gate_thresholds", Map.of("f1", 0.5)))
                .when().patch("/api/v1/projects/" + project).then().statusCode(403);
        asBootstrap().contentType("application/json").body(Map.of("gate_thresholds", Map.of("f1", 0.8, "roc_auc", 0.85)))
                .when().patch("/api/v1/projects/" + project)
                .then().statusCode(200)
                .body("gate_thresholds.f1", equalTo(0.8f))
                .body("gate_thresholds.roc_auc", equalTo(0.85f));
    }
}
