package dev.keel.inference.log;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.config.PredictionLogConfig;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL away and the spill file unwritable too (a full or read-only disk; here a directory
 * where the file would be): predictions are still answered, the lost records are counted, and
 * readiness says they are being dropped rather than spilled; once the disk takes appends again,
 * records spill and are replayed as usual.
 */
@QuarkusTest
@TestProfile(DatabaseBehindRelay.class)
class SpillFailureTest {

    @Inject
    DataSource dataSource;

    @Inject
    PredictionLogWriter writer;

    @Inject
    PredictionLogConfig config;

    @Inject
    MeterRegistry meters;

    @Test
    void whenNeitherTheDatabaseNorTheSpillFileTakesRecordsReadinessSaysTheyAreDroppedAndTheyAreCounted() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "nowhere", 1, TestModels.train(5, 1));
        Map<String, Object> body = Map.of("model", "nowhere", "features", Map.of("age", 50, "chol", 200, "sex", 1, "cp", 0));
        assertThat(writer.awaitFlushed(30, TimeUnit.SECONDS)).isTrue();
        Path blocker = config.spillDir().resolve("predictions.spill.copy");
        assertThat(blocker).doesNotExist();
        Files.createDirectories(blocker);
        double droppedBefore = dropped();
        DatabaseBehindRelay.relay.cut();
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).body(body)
                        .post("/api/v1/predict").then().statusCode(200);
                return dropped() > droppedBefore;
            });
            given().get("/q/health/ready").then().statusCode(200);
            assertThat(predictionLogState())
                    .isEqualTo("database unreachable and the spill file cannot be written: records are being dropped");

            Files.delete(blocker);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).body(body)
                        .post("/api/v1/predict").then().statusCode(200);
                return writer.spilledPending() > 0;
            });
            assertThat(predictionLogState()).isEqualTo("database unreachable, spilling to disk");
        } finally {
            Files.deleteIfExists(blocker);
            DatabaseBehindRelay.relay.restore();
        }
        assertThat(writer.awaitFlushed(60, TimeUnit.SECONDS)).isTrue();
        assertThat(predictionLogState()).isEqualTo("writing to the database");
    }

    private double dropped() {
        return meters.get("keel_prediction_log_rows_dropped").counter().count();
    }

    private static String predictionLogState() {
        return given().get("/q/health/ready").jsonPath()
                .getString("checks.find { it.name == 'Model serving' }.data.prediction_log");
    }
}
