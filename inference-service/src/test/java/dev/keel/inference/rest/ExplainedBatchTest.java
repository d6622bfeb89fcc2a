package dev.keel.inference.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A large batch with {@code explain=true} costs seconds of SHAP; with a single event loop, every
 * other request (and the liveness probe) waits behind it unless it runs on a worker thread.
 */
@QuarkusTest
@TestProfile(ExplainedBatchTest.OneEventLoop.class)
class ExplainedBatchTest {

    @Inject
    DataSource dataSource;

    @Test
    void aLargeExplainedBatchDoesNotHoldUpOtherRequestsOnItsEventLoop() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "explained", 1, TestModels.train(800, 9));
        Random random = new Random(3);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rows.add(Map.of("age", 30 + random.nextInt(50), "chol", 150 + random.nextInt(200), "sex", random.nextInt(2),
                    "cp", random.nextInt(4)));
        }
        Map<String, Object> batchBody = Map.of("model", "explained", "instances", rows);
        Map<String, Object> one = Map.of("model", "explained", "features", rows.get(0));

        CompletableFuture<Long> batch = CompletableFuture.supplyAsync(() -> {
            Response r = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                    .queryParam("explain", true).body(batchBody).post("/api/v1/predict/batch");
            long answered = System.nanoTime();
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.jsonPath().getList("predictions")).hasSize(10_000);
            assertThat(r.jsonPath().getMap("predictions[9999].contributions")).containsKey("bias");
            return answered;
        });
        Thread.sleep(500);   // the batch is read and being explained by now
        long probeStart = System.nanoTime();
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).body(one)
                .post("/api/v1/predict").then().statusCode(200);
        long probe = System.nanoTime() - probeStart;
        long liveStart = System.nanoTime();
        given().get("/q/health/live").then().statusCode(200);
        long live = System.nanoTime() - liveStart;
        long batchLeft = batch.get(2, TimeUnit.MINUTES) - probeStart;

        // both answered while the batch was still being explained, not once it was done
        assertThat(probe).as("single prediction took %d ms; the batch was answered %d ms after it was sent",
                probe / 1_000_000, batchLeft / 1_000_000).isLessThan(batchLeft / 2);
        assertThat(live).as("liveness took %d ms", live / 1_000_000).isLessThan(batchLeft / 2);
    }

    @Test
    void anExplainedBatchWithABadRowIsA422NamingIt() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "explained-bad", 1, TestModels.train(5, 9));
        Map<String, Object> good = Map.of("age", 50, "chol", 200, "sex", 1, "cp", 0);
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).queryParam("explain", true)
                .body(Map.of("model", "explained-bad", "instances", List.of(good, Map.of("age", 50, "chol", 200, "sex", 1, "cp", 0,
                        "height", 180))))
                .post("/api/v1/predict/batch")
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("instances[1].height"));
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).queryParam("explain", true)
                .body(Map.of("model", "no-such-model", "instances", List.of(good)))
                .post("/api/v1/predict/batch")
                .then().statusCode(404).contentType("application/problem+json").body("field", equalTo("model"));
    }

    public static class OneEventLoop implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.vertx.event-loops-pool-size", "1", "quarkus.http.io-threads", "1");
        }
    }
}
