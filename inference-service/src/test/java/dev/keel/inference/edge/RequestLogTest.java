package dev.keel.inference.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.service.PredictionTrace;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request logging with both switches on: the access log names each request by its id and never
 * holds a feature value; the opt-in prediction lines hold them. ({@code PredictResourceTest} checks
 * that without the switch no prediction line is written.)
 */
@QuarkusTest
@TestProfile(RequestLogTest.LogsOn.class)
class RequestLogTest {

    private static final String ACCESS_LOG = "io.quarkus.http.access-log";

    @Inject
    DataSource dataSource;

    private final Lines access = new Lines();
    private final Lines predictions = new Lines();
    // strong references: a logger only referenced by name may be collected with its handler
    private final Logger accessLogger = Logger.getLogger(ACCESS_LOG);
    private final Logger predictionLogger = Logger.getLogger(PredictionTrace.CATEGORY);

    @BeforeEach
    void listen() {
        accessLogger.addHandler(access);
        predictionLogger.addHandler(predictions);
    }

    @AfterEach
    void stopListening() {
        accessLogger.removeHandler(access);
        predictionLogger.removeHandler(predictions);
    }

    @Test
    void theAccessLogNamesTheRequestButNotItsFeaturesWhichOnlyTheOptInPredictionLinesCarry() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "logged", 1, TestModels.train(5, 3));
        // values no other part of a log line can be mistaken for
        Map<String, Object> features = Map.of("age", 61.375, "chol", 287.625, "sex", 1, "cp", "atypical");
        Response r = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "logged", "features", features)).post("/api/v1/predict");
        r.then().statusCode(200);
        String requestId = r.jsonPath().getString("request_id");

        await().atMost(Duration.ofSeconds(5)).until(() -> access.containing(requestId).size() == 1);
        String accessLine = access.containing(requestId).get(0);
        assertThat(accessLine).contains("POST /api/v1/predict").contains(" 200 ")
                .doesNotContain("61.375").doesNotContain("287.625").doesNotContain("atypical");

        List<String> lines = predictions.containing(requestId);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("request_id=" + requestId).contains("model=logged version=1")
                .contains("key=reader")
                .contains("\"age\":61.375").contains("\"chol\":287.625").contains("\"cp\":\"atypical\"");
    }

    /** The formatted messages a logger received. */
    static final class Lines extends Handler {
        private final List<String> messages = new CopyOnWriteArrayList<>();

        List<String> containing(String text) {
            return messages.stream().filter(m -> m.contains(text)).toList();
        }

        @Override
        public void publish(LogRecord record) {
            Object[] parameters = record.getParameters();
            String message = record.getMessage();
            messages.add(parameters == null || parameters.length == 0 ? message : String.format(message, parameters));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    public static class LogsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keel.inference.log-features", "true", "keel.inference.access-log", "true");
        }
    }
}
