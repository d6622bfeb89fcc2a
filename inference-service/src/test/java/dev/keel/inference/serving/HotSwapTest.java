package dev.keel.inference.serving;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.common.model.MissingValues;
import dev.keel.common.model.XgbModel;
import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.RegistryStub;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A promotion goes live while clients keep calling: no request fails, and every answer is wholly
 * one version's (its probability is exactly what that version computes).
 */
@QuarkusTest
class HotSwapTest {

    private static final byte[] V1 = TestModels.train(5, 3);
    private static final byte[] V2 = TestModels.train(40, 5);
    private static final Map<String, Object> ROW = Map.of("age", 58, "chol", 262, "sex", 1, "cp", "atypical");
    private static final List<Map<String, Object>> BATCH = List.of(ROW, Map.of("age", 44, "chol", 201, "sex", 0, "cp", 3));

    @Inject
    DataSource dataSource;

    @Test
    void aNewProductionVersionIsServedWithinSecondsWithNoFailedOrMixedRequest() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "swap", 1, V1);
        double p1 = probability(V1, ROW);
        double p2 = probability(V2, ROW);
        assertThat(p1).isNotEqualTo(p2);

        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> versionsSeen = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean batch = t % 2 == 1;
            load.add(clients.submit(() -> {
                int lastVersion = 0;
                while (running.get()) {
                    Response r = batch
                            ? given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                                    .body(Map.of("model", "swap", "instances", BATCH)).post("/api/v1/predict/batch")
                            : given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                                    .body(Map.of("model", "swap", "features", ROW)).post("/api/v1/predict");
                    if (r.statusCode() != 200) {
                        problems.add("HTTP " + r.statusCode() + ": " + r.asString());
                        continue;
                    }
                    int version = r.jsonPath().getInt("version");
                    double p = batch ? r.jsonPath().getDouble("predictions[0].probability") : r.jsonPath().getDouble("probability");
                    double expected = version == 1 ? p1 : p2;
                    if (Math.abs(p - expected) > 1e-6) {
                        problems.add("version " + version + " answered " + p + ", which is not its own output " + expected);
                    }
                    if (version < lastVersion) {
                        problems.add("went back from version " + lastVersion + " to " + version);
                    }
                    lastVersion = version;
                    versionsSeen.add(version);
                }
            }));
        }
        Thread.sleep(1_000);
        long promotedAt = System.nanoTime();
        RegistryStub.publish(new RegistryStub.Version(project.name(), "swap", 2, 0.5, V2));
        await().atMost(Duration.ofSeconds(5)).until(() -> versionsSeen.contains(2));
        double swapSeconds = (System.nanoTime() - promotedAt) / 1e9;
        Thread.sleep(1_000);
        running.set(false);
        for (Future<?> f : load) {
            f.get(30, TimeUnit.SECONDS);
        }
        clients.shutdownNow();

        assertThat(problems).isEmpty();
        assertThat(versionsSeen).contains(1, 2);
        assertThat(swapSeconds).isLessThan(5.0);
    }

    @Test
    void whenTheRegistryIsDownTheLoadedModelsKeepServing() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "steady", 1, V1);
        RegistryStub.down();
        try {
            Thread.sleep(1_000);
            given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                    .body(Map.of("model", "steady", "features", ROW)).post("/api/v1/predict")
                    .then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(200);
        } finally {
            RegistryStub.resume();
        }
    }

    private static double probability(byte[] artifact, Map<String, Object> row) {
        XgbModel model = XgbModel.load(artifact);
        Map<String, Object> encoded = new java.util.HashMap<>(row);
        encoded.put("cp", TestModels.CP_CATEGORIES.indexOf((String) row.get("cp")));
        return model.predict(model.toRow(encoded, MissingValues.REJECT))[0];
    }
}
