package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.training.data.HeartDiseaseGenerator;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource db;

    @Test
    void retrainingFromFeedbackJoinsLoggedPredictionsWithTheirLabels() throws Exception {
        TestProjects.Project project = TestProjects.create(db, "feedback-demo");
        TestProjects.Project intruder = TestProjects.create(db, "feedback-intruder");
        logTraffic(project, 400, 300, intruder);

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

    /**
     * Predictions as the inference service logs them, labels for the first {@code labelled}, and
     * labels another project's key gave the rest's request ids.
     */
    private void logTraffic(TestProjects.Project project, int predictions, int labelled, TestProjects.Project intruder)
            throws Exception {
        HeartDiseaseGenerator generator = new HeartDiseaseGenerator(61, Map.of());
        try (Connection c = db.getConnection()) {
            try (PreparedStatement clear = c.prepareStatement("DELETE FROM feedback WHERE project_id = ?")) {
                clear.setLong(1, project.id());
                clear.executeUpdate();
            }
            try (PreparedStatement clear = c.prepareStatement("DELETE FROM predictions WHERE project_id = ?")) {
                clear.setLong(1, project.id());
                clear.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO predictions (request_id, predicted_at, project_id, model_name, model_version, features,
                                             prediction, probability, latency_us)
                    VALUES (?, now(), ?, ?, 1, CAST(? AS json), 0, 0.5, 100)""");
                 PreparedStatement f = c.prepareStatement(
                         "INSERT INTO feedback (request_id, project_id, label) VALUES (?, ?, ?)")) {
                for (int i = 0; i < predictions; i++) {
                    Map<String, Number> record = new LinkedHashMap<>(generator.nextRecord());
                    Number label = record.remove(HeartDiseaseGenerator.TARGET);
                    UUID id = UUID.randomUUID();
                    p.setObject(1, id);
                    p.setLong(2, project.id());
                    p.setString(3, MODEL);
                    p.setString(4, JSON.writeValueAsString(record));
                    p.addBatch();
                    f.setObject(1, id);
                    f.setLong(2, i < labelled ? project.id() : intruder.id());
                    f.setDouble(3, label.doubleValue());
                    f.addBatch();
                }
                p.executeBatch();
                f.executeBatch();
            }
        }
    }
}
