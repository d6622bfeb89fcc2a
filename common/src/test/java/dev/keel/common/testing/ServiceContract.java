package dev.keel.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What every Keel service promises an operator, checked over real HTTP against the running app
 * and the real database. Each service runs it with a one-line {@code @QuarkusTest} subclass.
 */
public abstract class ServiceContract {

    @Inject
    DataSource dataSource;

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksTheDatabase() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(databaseReadinessCheck()));
    }

    @Test
    void metricsArePrometheusText() {
        given().accept("text/plain; version=0.0.4").when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }

    @Test
    void openApiDocumentAndSwaggerUiAreServed() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("openapi", startsWith("3."))
                .body("info.title", startsWith("Keel "));
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200);
    }

    @Test
    void unknownPathIsAProblemDocument() {
        given().when().get("/api/v1/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", equalTo("No resource at this path"));
    }

    @Test
    void theSchemaIsMigratedIntoTheOneSharedHistoryTable() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%schema_history%'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("history tables").isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    /**
     * The readiness check that covers the database: Quarkus' own, unless a service reports the
     * database in a check of its own (inference-service stays ready through a database outage).
     */
    protected String databaseReadinessCheck() {
        return "Database connections health check";
    }
}
