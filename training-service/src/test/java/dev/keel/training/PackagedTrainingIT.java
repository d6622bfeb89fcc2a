package dev.keel.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.testing.PackagedApp;
import dev.keel.common.testing.PackagedServiceContract;
import dev.keel.common.testing.TestProjects;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * The packaged training service (the JVM jar: it ships no native image, xgboost4j needs JNI): the
 * contract, and a synthetic dataset generated, profiled and stored.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedApp.class)
class PackagedTrainingIT extends PackagedServiceContract {

    @Test
    void aSyntheticDatasetIsGeneratedAndStored() throws Exception {
        TestProjects.Project project = app.project("it-training");

        long id = given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body("{\"name\": \"heart-pilot\", \"rows\": 200, \"seed\": 7}")
                .post("/api/v1/datasets/synthetic")
                .then().statusCode(201).body("name", equalTo("heart-pilot")).extract().jsonPath().getLong("id");

        try (Connection c = app.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT row_count FROM datasets WHERE id = ? AND project_id = ?")) {
            ps.setLong(1, id);
            ps.setLong(2, project.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(200);
            }
        }
    }
}
