package dev.keel.inference.log;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The whole service, end to end over HTTP, while its database goes away for seconds and comes back:
 * every request is answered and every prediction reaches the table. The subclasses take the
 * database away in two ways: the network to it cut ({@link PredictionLogOutageTest}), the server
 * itself crashed and restarted ({@link PredictionLogDatabaseCrashTest}).
 */
abstract class DatabaseOutageScenario {

    private static final int BATCHES = 200;
    private static final int ROWS = 100;

    @Inject
    DataSource dataSource;

    @Inject
    PredictionLogWriter writer;

    /** Takes the database away from the running service. */
    abstract void databaseGoes() throws Exception;

    /** Brings it back. */
    abstract void databaseReturns() throws Exception;

    @Test
    void twentyThousandPredictionsDuringADatabaseOutageAreAllAnsweredAndAllLogged() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "outage", 1, TestModels.train(10, 1));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            batch.add(Map.of("age", 30 + i % 50, "chol", 180 + i, "sex", i % 2, "cp", i % 4));
        }
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            load.add(clients.submit(() -> {
                while (sent.getAndIncrement() < BATCHES) {
                    Response r = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                            .body(Map.of("model", "outage", "instances", batch)).post("/api/v1/predict/batch");
                    if (r.statusCode() != 200) {
                        failures.add(r.statusCode() + " " + r.asString());
                    }
                    sleepQuietly(15);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() > BATCHES / 4);
        databaseGoes();
        Thread.sleep(3_000);
        boolean spilledDuringOutage = writer.databaseAway() || writer.spilledPending() > 0;
        // still in the load balancer: it answers predictions and says where the log goes meanwhile
        Response ready = given().get("/q/health/ready");
        databaseReturns();
        for (Future<?> f : load) {
            f.get(120, TimeUnit.SECONDS);
        }
        clients.shutdownNow();

        assertThat(failures).isEmpty();
        assertThat(spilledDuringOutage).as("the outage was noticed").isTrue();
        assertThat(ready.statusCode()).as("readiness during the outage: %s", ready.asString()).isEqualTo(200);
        assertThat(ready.jsonPath().getString("checks.find { it.name == 'Model serving' }.data.prediction_log"))
                .isEqualTo("database unreachable, spilling to disk");
        assertThat(writer.awaitFlushed(60, TimeUnit.SECONDS)).isTrue();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), count(DISTINCT request_id) FROM predictions WHERE project_id = ? AND model_name = 'outage'")) {
            ps.setLong(1, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo((long) BATCHES * ROWS);
                assertThat(rs.getLong(2)).isEqualTo((long) BATCHES * ROWS);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
