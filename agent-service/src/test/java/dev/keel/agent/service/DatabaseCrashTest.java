package dev.keel.agent.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.common.testing.RestartableDatabaseProfile;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Approval decisions the agent acknowledged survive a crash of its database (stopped without a
 * checkpoint, {@code pg_ctl stop -m immediate}, and started again), and the agent takes the next
 * decision without a restart of its own.
 */
@QuarkusTest
@TestProfile(RestartableDatabaseProfile.class)
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class DatabaseCrashTest {

    @Inject
    DataSource dataSource;

    @Test
    void anApprovalAndARejectionSurviveADatabaseCrash() throws Exception {
        Fixtures f = new Fixtures(dataSource, "crash");
        long approved = proposedRetrain(f, Fixtures.model("crash-approved"));
        long rejected = proposedRetrain(f, Fixtures.model("crash-rejected"));
        decide(f, approved, "approve", "go ahead").statusCode(200).body("status", equalTo("succeeded"));
        decide(f, rejected, "reject", "labels are late").statusCode(200).body("status", equalTo("rejected"));

        RestartableDatabaseProfile.server().crashFor(Duration.ofMillis(1_500));

        action(f, approved).statusCode(200).body("status", equalTo("succeeded"))
                .body("decided_by", equalTo("approver")).body("decision_comment", equalTo("go ahead"))
                .body("result.training_run_id", equalTo(77));
        action(f, rejected).statusCode(200).body("status", equalTo("rejected"))
                .body("decided_by", equalTo("approver")).body("decision_comment", equalTo("labels are late"));
        long next = proposedRetrain(f, Fixtures.model("crash-after"));
        decide(f, next, "approve", "after the restart").statusCode(200).body("status", equalTo("succeeded"));
    }

    private static long proposedRetrain(Fixtures f, String model) {
        return f.signal("{\"kind\": \"low_confidence\", \"model_name\": \"" + model + "\", "
                        + "\"evidence\": {\"low_confidence_share\": 0.6}}")
                .statusCode(200).extract().jsonPath().getLong("actions.find { it.action == 'retrain_model' }.id");
    }

    private static ValidatableResponse decide(Fixtures f, long id, String decision, String comment) {
        return given().header("X-API-Key", f.project.approverKey()).contentType(ContentType.JSON)
                .body("{\"comment\": \"" + comment + "\"}")
                .when().post("/api/v1/agent/actions/" + id + "/" + decision).then();
    }

    private static ValidatableResponse action(Fixtures f, long id) {
        return given().header("X-API-Key", f.project.readKey()).when().get("/api/v1/agent/actions/" + id).then();
    }
}
