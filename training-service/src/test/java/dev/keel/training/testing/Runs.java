package dev.keel.training.testing;

import static org.assertj.core.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;

/** Waiting on training runs through the API, as a client would. */
public final class Runs {

    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "rejected", "cancelled");

    private Runs() {
    }

    public static JsonPath awaitFinished(TestProjects.Project project, long runId) {
        return awaitRun(project, runId, run -> FINISHED.contains(run.getString("status")), Duration.ofSeconds(120));
    }

    public static JsonPath awaitRun(TestProjects.Project project, long runId, Predicate<JsonPath> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath run = null;
        while (System.nanoTime() < deadline) {
            run = project.asAdmin().when().get("/api/v1/training-runs/" + runId).then().statusCode(200).extract().jsonPath();
            if (condition.test(run)) {
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("run %d did not get there within %s; last seen: %s", runId, timeout, run == null ? null : run.prettify());
    }

    /** Uploads a generated heart dataset; returns its id. */
    public static long heartDataset(TestProjects.Project project, long rows, long seed) {
        return project.asAdmin().contentType("application/json")
                .body("{\"rows\": " + rows + ", \"seed\": " + seed + "}")
                .when().post("/api/v1/datasets/synthetic")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long upload(TestProjects.Project project, String csv) {
        return project.asAdmin().contentType("text/csv").body(csv)
                .when().post("/api/v1/datasets")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static long start(TestProjects.Project project, String body) {
        return project.asAdmin().contentType("application/json").body(body)
                .when().post("/api/v1/training-runs")
                .then().statusCode(202).extract().jsonPath().getLong("id");
    }
}
