package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.training.data.HeartDiseaseGenerator;
import dev.keel.training.testing.LoggedTraffic;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A model configured with {@code source=feedback} retrains on its logged predictions joined with
 * their ground-truth labels. The project and model names match {@code %test.keel.training.schedule.models}.
 */
@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class FeedbackDatasetsTest {

    private static final String MODEL = "heart-feedback";

    @Inject
    DataSource db;

    @Test
    void retrainingFromFeedbackJoinsLoggedPredictionsWithTheirLabels() {
        TestProjects.Project project = TestProjects.create(db, "feedback-demo");
        TestProjects.Project intruder = TestProjects.create(db, "feedback-intruder");
        LoggedTraffic.log(db, project, MODEL, 400, 300, intruder);

        long runId = project.asAdmin().contentType("application/json").body("{\"trigger\": \"agent\"}")
                .when().post("/api/v1/models/" + MODEL + "/retrain")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        JsonPath run = Runs.awaitFinished(project, runId);
        long datasetId = run.getLong("dataset_id");

        JsonPath dataset = project.asAdmin().when().get("/api/v1/datasets/" + datasetId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(dataset.getString("name")).startsWith("feedback-heart-feedback-");
        assertThat(dataset.getInt("row_count")).as("only the predictions labelled by their own project").isEqualTo(300);
        assertThat(dataset.getString("created_by")).isEqualTo("feedback-join");
        assertThat(dataset.getList("columns.name", String.class)).hasSize(14).endsWith("label")
                .containsAll(HeartDiseaseGenerator.FEATURES);
        assertThat(run.getString("status")).isIn("succeeded", "rejected");
    }
}
