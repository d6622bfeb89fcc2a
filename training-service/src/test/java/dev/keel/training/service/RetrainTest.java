package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class RetrainTest {

    @Inject
    DataSource db;

    TestProjects.Project project;
    String model;

    @BeforeEach
    void setUp() {
        project = TestProjects.create(db);
        model = "heart-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void retrainingOnDemandTrainsOnTheDatasetOfTheModelsLatestRunAndRecordsWhoAsked() {
        long dataset = Runs.heartDataset(project, 400, 31);
        Runs.awaitFinished(project, Runs.start(project, "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}"));

        long runId = project.asAdmin().contentType("application/json")
                .body("{\"trigger\": \"agent\", \"reason\": \"drift on chol (PSI 0.31)\"}")
                .when().post("/api/v1/models/" + model + "/retrain")
                .then().statusCode(202)
                .header("Location", containsString("/api/v1/training-runs/"))
                .body("trigger", equalTo("agent"))
                .body("triggered_by", equalTo("bootstrap-admin: drift on chol (PSI 0.31)"))
                .body("dataset_id", equalTo((int) dataset))
                .extract().jsonPath().getLong("id");
        JsonPath run = Runs.awaitFinished(project, runId);

        assertThat(run.getString("status")).isIn("succeeded", "rejected");
        assertThat(run.getInt("progress.candidates_done")).isEqualTo(4);
    }

    @Test
    void aModelWithNoRunYetNeedsADatasetToRetrainOn() {
        project.asAdmin().contentType("application/json").body("{}")
                .when().post("/api/v1/models/" + model + "/retrain")
                .then().statusCode(422)
                .body("field", equalTo("dataset_id"))
                .body("detail", containsString("has no earlier training run"));
        long dataset = Runs.heartDataset(project, 300, 32);

        long runId = project.asAdmin().contentType("application/json").body("{\"dataset_id\": " + dataset + "}")
                .when().post("/api/v1/models/" + model + "/retrain")
                .then().statusCode(202).body("trigger", equalTo("manual")).extract().jsonPath().getLong("id");
        Runs.awaitFinished(project, runId);

        project.asAdmin().contentType("application/json").body("{\"trigger\": \"schedule\"}")
                .when().post("/api/v1/models/" + model + "/retrain")
                .then().statusCode(422).body("field", equalTo("trigger"));
    }
}
