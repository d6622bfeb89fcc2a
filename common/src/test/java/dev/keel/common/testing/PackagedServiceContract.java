package dev.keel.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * What the packaged service (the JVM jar, or the native binary images.yml ships) must still do
 * that only the packaging can break: start and migrate its database, answer its probes, serve
 * OpenAPI, problem+json and Prometheus text with the latency histogram. Each service's
 * {@code *IT} extends it with {@code @QuarkusIntegrationTest @WithTestResource(PackagedApp.class)}
 * and adds one real request of its own.
 */
public abstract class PackagedServiceContract {

    protected PackagedApp app;

    @Test
    void startsMigratedAndReady() throws Exception {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(databaseReadinessCheck()));
        try (Connection c = app.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getInt(1)).as("applied migrations").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void servesItsOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("openapi", startsWith("3.")).body("info.title", startsWith("Keel "));
    }

    @Test
    void answersAnUnknownPathWithAProblemDocument() {
        given().get("/api/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void publishesRequestLatencyAsAHistogram() {
        // /q/* is not timed, so a request to the API
        given().get("/api/v1/no-such-thing").then().statusCode(404);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).contains("# TYPE http_server_requests_seconds histogram")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*le=\"0\\.5\"")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*le=\"\\+Inf\"");
    }

    /**
     * The readiness check that covers the database: Quarkus' own, unless a service reports the
     * database in a check of its own (inference-service stays ready through a database outage).
     */
    protected String databaseReadinessCheck() {
        return "Database connections health check";
    }
}
