package dev.keel.drift;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.testing.PackagedApp;
import dev.keel.common.testing.PackagedServiceContract;
import dev.keel.common.testing.TestProjects;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The packaged drift service (native in images.yml): the contract, and a project's reports asked for. */
@QuarkusIntegrationTest
@WithTestResource(PackagedApp.class)
class PackagedDriftIT extends PackagedServiceContract {

    @Test
    void aReportOnAModelTheProjectLacksIsAProblemAndTheListIsEmpty() throws Exception {
        TestProjects.Project project = app.project("it-drift");

        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body("{\"model_name\": \"heart\", \"window\": {\"last_n\": 100}}")
                .post("/api/v1/drift/reports")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        given().header("Authorization", "Bearer " + project.readKey()).queryParam("model_name", "heart")
                .get("/api/v1/drift/reports")
                .then().statusCode(200).body("$", empty());
    }
}
