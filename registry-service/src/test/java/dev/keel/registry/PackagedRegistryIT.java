package dev.keel.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;

import dev.keel.common.testing.PackagedApp;
import dev.keel.common.testing.PackagedServiceContract;
import dev.keel.common.testing.TestProjects;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The packaged registry (native in images.yml): the contract, and a model registered and read back. */
@QuarkusIntegrationTest
@WithTestResource(PackagedApp.class)
class PackagedRegistryIT extends PackagedServiceContract {

    @Test
    void aModelIsRegisteredAndReadBack() throws Exception {
        TestProjects.Project project = app.project("it-registry");

        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body("{\"name\": \"churn\", \"description\": \"Monthly churn classifier\", \"tags\": {\"team\": \"retention\"}}")
                .post("/api/v1/models")
                .then().statusCode(201).header("Location", endsWith("/api/v1/models/churn"))
                .body("project", equalTo(project.name()));
        given().header("Authorization", "Bearer " + project.readKey()).get("/api/v1/models/churn")
                .then().statusCode(200).body("name", equalTo("churn")).body("tags.team", equalTo("retention"))
                .body("production_version", equalTo(null));
    }
}
