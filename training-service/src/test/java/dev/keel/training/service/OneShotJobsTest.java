package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The retraining job as a Kubernetes CronJob runs it: {@code retrain <project> <model>}, waiting for
 * the run it hands to the worker pool.
 */
@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class OneShotJobsTest {

    @Inject
    DataSource db;
    @Inject
    OneShotJobs jobs;

    @Test
    void theRetrainCommandTrainsTheModelThroughTheWorkerPoolAndExitsZero() {
        TestProjects.Project project = TestProjects.create(db);
        String model = "heart-" + UUID.randomUUID().toString().substring(0, 8);
        long dataset = Runs.heartDataset(project, 300, 51);

        int exit = jobs.run(List.of("retrain", project.name(), model, "--dataset", String.valueOf(dataset)), System.err);

        assertThat(exit).isZero();
        JsonPath runs = project.asAdmin().queryParam("model", model).when().get("/api/v1/training-runs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(runs.getInt("total")).isEqualTo(1);
        assertThat(runs.getString("items[0].trigger")).isEqualTo("schedule");
        assertThat(runs.getString("items[0].triggered_by")).isEqualTo("cronjob@training-test");
        assertThat(runs.getString("items[0].status")).isIn("succeeded", "rejected");

        assertThat(jobs.run(List.of("retrain", project.name(), model), System.err))
                .as("again, on the dataset of the model's latest run").isZero();
    }

    @Test
    void badArgumentsExitTwoWithTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(jobs.run(List.of(), out)).isEqualTo(2);
        assertThat(jobs.run(List.of("retrain", "only-a-project"), out)).isEqualTo(2);
        assertThat(jobs.run(List.of("retrain", "no-such-project-" + UUID.randomUUID(), "m"), out)).isEqualTo(2);
        assertThat(jobs.run(List.of("train-everything"), out)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: retrain <project> <model>")
                .contains("no project 'no-such-project-").contains("unknown command 'train-everything'");
    }
}
