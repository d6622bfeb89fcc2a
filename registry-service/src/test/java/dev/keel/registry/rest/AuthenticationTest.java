package dev.keel.registry.rest;

import static dev.keel.registry.Fixtures.as;
import static dev.keel.registry.Fixtures.asBootstrap;
import static dev.keel.registry.Fixtures.newKey;
import static dev.keel.registry.Fixtures.newProject;
import static dev.keel.registry.Fixtures.newProjectWithKeys;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.security.LastUsedRecorder;
import dev.keel.registry.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Every /api/v1 request is authenticated by an API key and confined to the key's project and role. */
@QuarkusTest
class AuthenticationTest {

    @Inject
    DataSource dataSource;

    @Inject
    LastUsedRecorder lastUsed;

    @Test
    void aRequestWithoutAKeyIs401WithABearerChallenge() {
        given().when().get("/api/v1/models")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("detail", containsString("Missing API key"));
    }

    @Test
    void anUnknownKeyIs401() {
        as("keel_" + "x".repeat(40)).when().get("/api/v1/models")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("Invalid API key"));
        as("not-even-a-keel-key").when().get("/api/v1/models").then().statusCode(401);
    }

    @Test
    void theKeyMayComeInTheXApiKeyHeader() {
        String project = newProject();
        String key = newKey(project, "read");
        given().header("X-API-Key", key).when().get("/api/v1/models")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aRevokedKeyIs401AtOnce() {
        String project = newProject();
        String key = newKey(project, "read");
        as(key).when().get("/api/v1/models").then().statusCode(200);
        String name = asBootstrap().when().get("/api/v1/projects/" + project + "/keys")
                .then().statusCode(200).extract().path("[0].name");

        asBootstrap().when().delete("/api/v1/projects/" + project + "/keys/" + name).then().statusCode(204);

        as(key).when().get("/api/v1/models")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", equalTo("API key has been revoked"));
    }

    @Test
    void anExpiredKeyIs401() throws SQLException {
        String project = newProject();
        String name = Fixtures.unique("short-lived");
        String key = asBootstrap().contentType("application/json")
                .body(Map.of("name", name, "role", "read", "expires_at", "2099-01-01T00:00:00Z"))
                .when().post("/api/v1/projects/" + project + "/keys")
                .then().statusCode(201).body("expires_at", equalTo("2099-01-01T00:00:00Z"))
                .extract().path("key");
        // never used, so not cached: the lookup sees the expiry at once
        execute("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE name = ?", name);

        as(key).when().get("/api/v1/models")
                .then().statusCode(401).body("detail", equalTo("API key has expired"));
        asBootstrap().when().get("/api/v1/projects/" + project + "/keys")
                .then().statusCode(200).body("find { it.name == '" + name + "' }.status", equalTo("expired"));
    }

    @Test
    void aKeyOfAnotherProjectIs403() {
        var mine = newProjectWithKeys();
        String other = newProject();
        as(mine.admin()).when().get("/api/v1/projects/" + other)
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("cannot act on project '" + other + "'"));
        as(mine.admin()).when().get("/api/v1/projects/" + other + "/keys").then().statusCode(403);
        as(mine.read()).queryParam("project", other).when().get("/api/v1/models").then().statusCode(403);
        as(mine.read()).header("X-Keel-Project", other).when().get("/api/v1/models").then().statusCode(403);
        as(mine.read()).when().get("/api/v1/projects/" + mine.name()).then().statusCode(200);
    }

    @Test
    void aKeyWithTooLowARoleIs403() {
        var p = newProjectWithKeys();
        as(p.read()).contentType("application/json").body(Map.of("name", "m"))
                .when().post("/api/v1/models")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", equalTo("This needs the write role; the API key '" + keyName(p.name(), "read") + "' has read"));
        as(p.approver()).contentType("application/json").body(Map.of("name", "m"))
                .when().post("/api/v1/models").then().statusCode(403);
        as(p.write()).when().delete("/api/v1/models/m").then().statusCode(403);
        as(p.write()).when().get("/api/v1/projects/" + p.name() + "/keys").then().statusCode(403);
        as(p.write()).contentType("application/json").body(Map.of("name", "m"))
                .when().post("/api/v1/models").then().statusCode(201);
    }

    @Test
    void onlyTheBootstrapKeyCreatesProjects() {
        var p = newProjectWithKeys();
        as(p.admin()).contentType("application/json").body(Map.of("name", Fixtures.unique("x")))
                .when().post("/api/v1/projects")
                .then().statusCode(403).body("detail", equalTo("Only the bootstrap admin key may do this"));
    }

    @Test
    void theBootstrapKeyMustNameTheProjectItActsOn() {
        String project = newProject();
        asBootstrap().when().get("/api/v1/models")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("project"));
        asBootstrap().queryParam("project", project).when().get("/api/v1/models").then().statusCode(200);
        asBootstrap().header("X-Keel-Project", project).when().get("/api/v1/models").then().statusCode(200);
        asBootstrap().queryParam("project", "no-such-project-here").when().get("/api/v1/models")
                .then().statusCode(404);
    }

    @Test
    void theTimeAKeyWasLastUsedIsRecordedInBatches() throws SQLException {
        String project = newProject();
        String key = newKey(project, "read");
        as(key).when().get("/api/v1/models").then().statusCode(200);
        lastUsed.flush();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT last_used_at FROM api_keys WHERE key_hash = ?")) {
            ps.setString(1, dev.keel.common.security.ApiKeySecret.hash(key));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp(1)).isNotNull();
            }
        }
    }

    @Test
    void healthMetricsAndOpenApiNeedNoKey() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }

    private String keyName(String project, String role) {
        return asBootstrap().when().get("/api/v1/projects/" + project + "/keys")
                .then().statusCode(200)
                .extract().path("find { it.role == '" + role + "' }.name");
    }

    private void execute(String sql, String parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            ps.executeUpdate();
        }
    }
}
