package dev.keel.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.runtime.configuration.MemorySize;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
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

    @Test
    void aBodyOverTheLimitIsAProblemDocumentSayingTheLimit() throws IOException {
        long max = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10_240L * 1024);
        // the length is announced, not sent: the server answers without reading the body
        String answer = exchange("POST /api/v1/anything HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (max + 1) + "\r\n\r\n{");
        assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close")
                .contains("\"status\":413", "The request body is " + (max + 1) + " bytes (Content-Length)",
                        "accepts at most " + max + " (quarkus.http.limits.max-body-size)");
    }

    /** Writes a raw HTTP/1.1 request to the running app and reads its whole answer (the connection closes). */
    public static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
