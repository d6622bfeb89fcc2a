package dev.keel.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.agent.testing.Downstream;
import dev.keel.common.testing.PackagedApp;
import dev.keel.common.testing.PackagedServiceContract;
import dev.keel.common.testing.TestProjects;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent (native in images.yml): the contract, and a drift signal diagnosed into an
 * alert and a report asked of the stubbed drift service through the REST client.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedApp.class)
@WithTestResource(Downstream.class)
class PackagedAgentIT extends PackagedServiceContract {

    @Test
    void aDriftSignalRaisesAnAlertAndAsksDriftForAReport() throws Exception {
        TestProjects.Project project = app.project("it-agent");

        JsonPath d = given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON)
                .body("{\"kind\": \"data_drift\", \"model_name\": \"heart\", \"evidence\": {\"dataset_drift\": true, "
                        + "\"drift_share\": 0.6, \"drift_score\": 0.3, \"severity\": \"warning\"}}")
                .post("/api/v1/agent/signals")
                .then().statusCode(200).extract().jsonPath();

        assertThat(d.getBoolean("issue_detected")).isTrue();
        assertThat(d.getList("actions.action")).containsExactly("send_alert", "generate_report");
        assertThat(d.getList("actions.status")).containsOnly("succeeded");
        assertThat(d.getInt("actions.find { it.action == 'generate_report' }.result.report_id")).isEqualTo(99);
        JsonPath alerts = given().header("Authorization", "Bearer " + project.readKey()).get("/api/v1/agent/alerts")
                .then().statusCode(200).extract().jsonPath();
        assertThat(alerts.getList("items.kind")).containsExactly("data_drift");
        assertThat(alerts.getList("items.status")).containsExactly("active");
    }
}
