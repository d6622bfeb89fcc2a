package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.jobs.JobLeases;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.repository.ModelCatalog;
import dev.keel.training.testing.LoggedTraffic;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a retraining without a named dataset trains on: by default ({@code auto}) the model's
 * labelled production traffic once there is enough of it, else the newest upload of its latest
 * run's dataset; a source set in the registry wins over the default; the schedule skips a model with
 * nothing to train on instead of failing.
 */
@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class RetrainDataSourceTest {

    @Inject
    DataSource db;
    @Inject
    RetrainService retrain;
    @Inject
    ModelCatalog catalog;
    @Inject
    JobLeases leases;
    @Inject
    TrainingConfig config;

    TestProjects.Project project;
    String model;

    @BeforeEach
    void setUp() {
        project = TestProjects.create(db);
        model = "heart-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void forgetTheModels() {
        TestProjects.forgetModels(db, project);
    }

    @Test
    void autoTakesTheNewestUploadOfTheDatasetUntilThereIsEnoughLabelledTrafficThenTheTraffic() {
        TestProjects.registerModel(db, project, model, null, Instant.now().minus(Duration.ofDays(8)));
        long first = synthetic("heart-weekly", 7);
        TestProjects.finishedRun(db, project, model, first);
        synthetic("other-data", 8);
        long refreshed = synthetic("heart-weekly", 9);

        assertThat(retrain.dataset(project.id(), project.name(), model)).as("the newest upload under the run's dataset's name")
                .isEqualTo(refreshed);

        int needed = config.schedule().minFeedbackRows();
        LoggedTraffic.log(db, project, model, needed + 50, needed - 1, null);
        assertThat(retrain.dataset(project.id(), project.name(), model)).as("one labelled prediction short").isEqualTo(refreshed);

        LoggedTraffic.log(db, project, model, needed + 50, needed, null);
        long fromTraffic = retrain.dataset(project.id(), project.name(), model);
        project.asAdmin().when().get("/api/v1/datasets/" + fromTraffic).then().statusCode(200)
                .body("name", org.hamcrest.Matchers.startsWith("feedback-" + model + "-"))
                .body("row_count", equalTo(needed))
                .body("created_by", equalTo("feedback-join"));
        project.asAdmin().when().get("/api/v1/models/" + model + "/retrain-schedule").then().statusCode(200)
                .body("data_source", equalTo("auto")).body("data_source_origin", equalTo("default"))
                .body("data_available", equalTo(true));
    }

    @Test
    void aSourceSetInTheRegistryIsUsedAndShown() {
        long pinned = synthetic("heart-pinned", 11);
        long newer = synthetic("heart-pinned", 12);
        TestProjects.finishedRun(db, project, model, newer);
        TestProjects.registerModel(db, project, model, null, "dataset:" + pinned, Instant.now().minus(Duration.ofDays(8)));

        assertThat(retrain.dataset(project.id(), project.name(), model)).isEqualTo(pinned);
        project.asAdmin().when().get("/api/v1/models/" + model + "/retrain-schedule").then().statusCode(200)
                .body("data_source", equalTo("dataset:" + pinned)).body("data_source_origin", equalTo("registry"));
    }

    @Test
    void theScheduleSkipsAModelWithNothingToTrainOnButReportsAnExplicitSourceThatHasNone() {
        // uploaded elsewhere and registered, never trained here, no feedback yet
        TestProjects.registerModel(db, project, model, null, Instant.now().minus(Duration.ofDays(8)));
        String explicit = model + "-latest";
        TestProjects.registerModel(db, project, explicit, null, "latest", Instant.now().minus(Duration.ofDays(8)));
        RetrainScheduler scheduler = new RetrainScheduler(catalog, leases, retrain, config, "replica-a");

        List<RetrainScheduler.Started> ours = scheduler.tick(Instant.now()).stream()
                .filter(s -> s.project().equals(project.name())).toList();

        assertThat(ours).hasSize(2);
        RetrainScheduler.Started skipped = ours.stream().filter(s -> s.model().equals(model)).findFirst().orElseThrow();
        assertThat(skipped.runId()).isNull();
        assertThat(skipped.problem()).isNull();
        assertThat(skipped.skipped()).contains("no earlier training run").contains("labelled predictions");
        RetrainScheduler.Started failed = ours.stream().filter(s -> s.model().equals(explicit)).findFirst().orElseThrow();
        assertThat(failed.skipped()).isNull();
        assertThat(failed.problem()).contains("its source is latest");
        assertThatThrownBy(() -> retrain.dataset(project.id(), project.name(), model))
                .isInstanceOf(RetrainService.NothingToRetrainOn.class);
        project.asAdmin().when().get("/api/v1/models/" + model + "/retrain-schedule").then().statusCode(200)
                .body("data_source", equalTo("auto")).body("data_available", equalTo(false));
    }

    private long synthetic(String name, long seed) {
        return project.asAdmin().contentType("application/json")
                .body("{\"name\": \"" + name + "\", \"rows\": 200, \"seed\": " + seed + "}")
                .when().post("/api/v1/datasets/synthetic")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
