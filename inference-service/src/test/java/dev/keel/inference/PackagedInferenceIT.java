package dev.keel.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.model.MissingValues;
import dev.keel.common.model.XgbModel;
import dev.keel.common.testing.PackagedApp;
import dev.keel.common.testing.PackagedServiceContract;
import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.RegistryStub;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged inference service (native in images.yml): the contract, and a model the stubbed
 * registry announces, loaded, predicted with the runtime's exact probability and logged.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedApp.class)
@WithTestResource(RegistryStub.class)
class PackagedInferenceIT extends PackagedServiceContract {

    private static final byte[] MODEL = TestModels.train(10, 5);

    @Override
    protected String databaseReadinessCheck() {
        return "Model serving";
    }

    @Test
    void aPublishedModelIsServedAndItsPredictionLogged() throws Exception {
        TestProjects.Project project = app.project("it-inference");
        RegistryStub.publish(new RegistryStub.Version(project.name(), "heart", 1, 0.5, MODEL));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + project.readKey())
                .get("/api/v1/models/heart").statusCode() == 200);
        Map<String, Object> row = Map.of("age", 61, "chol", 280, "sex", true, "cp", "non_anginal");

        Response r = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "heart", "features", row)).post("/api/v1/predict");

        r.then().statusCode(200).body("model", equalTo("heart")).body("version", equalTo(1));
        XgbModel runtime = XgbModel.load(MODEL);
        double expected = runtime.predict(runtime.toRow(Map.of("age", 61, "chol", 280, "sex", 1, "cp", TestModels.CP_CATEGORIES.indexOf("non_anginal")),
                MissingValues.REJECT))[0];
        assertThat(r.jsonPath().getDouble("probability")).isCloseTo(expected, within(1e-7));
        UUID requestId = UUID.fromString(r.jsonPath().getString("request_id"));
        await().atMost(Duration.ofSeconds(30)).until(() -> logged(requestId));
    }

    private boolean logged(UUID requestId) throws Exception {
        try (Connection c = app.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM predictions WHERE request_id = ?")) {
            ps.setObject(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }
}
