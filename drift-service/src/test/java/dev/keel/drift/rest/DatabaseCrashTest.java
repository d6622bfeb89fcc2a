package dev.keel.drift.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.testing.RestartableDatabaseProfile;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.DriftFixtures.HeartTraffic;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A stored drift report survives a crash of the database ({@code pg_ctl stop -m immediate}, started
 * again): while it is down a new report is answered 503 with {@code Retry-After}, and the first one
 * asked for after it is made without a restart of the service.
 */
@QuarkusTest
@TestProfile(RestartableDatabaseProfile.class)
class DatabaseCrashTest {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void aStoredReportSurvivesACrashAndTheNextOneIsMadeWithoutARestart() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        DriftFixtures.Version version = fixtures.modelVersion("production",
                HeartTraffic.baseline(HeartTraffic.generate(1000, 1)), "{}");
        fixtures.predictions(version, HeartTraffic.generate(300, 2, "chol"), Instant.now().minus(1, ChronoUnit.HOURS),
                Duration.ofSeconds(1), null);
        Map<String, Object> request = Map.of("model_name", version.model(), "window", Map.of("last_n", 300));
        long stored = createReport(version, request).statusCode(201).extract().jsonPath().getLong("id");

        RestartableDatabaseProfile.server().crash();
        try {
            createReport(version, request).statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "5");
        } finally {
            RestartableDatabaseProfile.server().startAgain();
        }

        given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .when().get("/api/v1/drift/reports/" + stored)
                .then().statusCode(200).body("id", equalTo((int) stored)).body("current_rows", equalTo(300));
        long next = createReport(version, request).statusCode(201).extract().jsonPath().getLong("id");
        assertThat(next).isGreaterThan(stored);
        assertThat(fixtures.count("SELECT count(*) FROM drift_reports WHERE model_name = ?", version.model())).isEqualTo(2);
    }

    private static ValidatableResponse createReport(DriftFixtures.Version version, Map<String, ?> body) {
        return given().header("X-API-Key", DriftFixtures.ADMIN_KEY).queryParam("project", version.project())
                .contentType("application/json").body(body)
                .when().post("/api/v1/drift/reports")
                .then();
    }
}
