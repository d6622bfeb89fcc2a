package dev.keel.agent.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class AlertResourceTest {

    @Inject
    DataSource dataSource;

    Fixtures f;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "alerts");
    }

    private long lowConfidence(String model, double share) {
        return f.signal("{\"kind\": \"low_confidence\", \"model_name\": \"" + model + "\", \"evidence\": {\"low_confidence_share\": "
                + share + "}}").extract().jsonPath().getLong("actions.find { it.action == 'send_alert' }.alert_id");
    }

    @Test
    void aRepeatedIssueBumpsTheOpenAlertInsteadOfOpeningAnother() {
        String model = Fixtures.model("dedup");
        long first = lowConfidence(model, 0.35);
        long second = lowConfidence(model, 0.6);
        org.assertj.core.api.Assertions.assertThat(second).isEqualTo(first);
        given().header("X-API-Key", f.project.readKey()).when().get("/api/v1/agent/alerts/" + first)
                .then().statusCode(200)
                .body("status", equalTo("active"))
                .body("kind", equalTo("low_confidence"))
                .body("occurrences", equalTo(2))
                .body("severity", equalTo("critical"))
                .body("title", equalTo("Low confidence in " + model))
                .body("evidence.low_confidence_share", equalTo(0.6f))
                .body("source", equalTo("agent-service"));
    }

    @Test
    void anAlertIsAcknowledgedThenResolvedWithWhoAndWhen() {
        String model = Fixtures.model("life");
        long id = lowConfidence(model, 0.4);
        given().header("X-API-Key", f.project.approverKey()).when().post("/api/v1/agent/alerts/" + id + "/acknowledge")
                .then().statusCode(200)
                .body("status", equalTo("acknowledged"))
                .body("acknowledged_by", equalTo("approver"))
                .body("acknowledged_at", notNullValue())
                .body("resolved_at", nullValue());
        // again: a no-op that keeps the first acknowledgement
        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/alerts/" + id + "/acknowledge")
                .then().statusCode(200).body("acknowledged_by", equalTo("approver"));
        // still open: the same issue bumps it
        org.assertj.core.api.Assertions.assertThat(lowConfidence(model, 0.4)).isEqualTo(id);
        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/alerts/" + id + "/resolve")
                .then().statusCode(200)
                .body("status", equalTo("resolved"))
                .body("resolved_by", equalTo("writer"))
                .body("resolved_at", notNullValue());
        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/alerts/" + id + "/acknowledge")
                .then().statusCode(409).contentType("application/problem+json");
        // resolved: the next occurrence opens a new alert
        org.assertj.core.api.Assertions.assertThat(lowConfidence(model, 0.4)).isNotEqualTo(id);
    }

    @Test
    void whoeverAcknowledgesOrResolvesMayLeaveANoteThatIsKept() throws Exception {
        String model = Fixtures.model("notes");
        long id = lowConfidence(model, 0.4);
        given().header("X-API-Key", f.project.approverKey()).contentType("application/json")
                .body(Map.of("note", "looking: the upstream feed renamed a column"))
                .when().post("/api/v1/agent/alerts/" + id + "/acknowledge")
                .then().statusCode(200).body("acknowledged_note", equalTo("looking: the upstream feed renamed a column"));
        given().header("X-API-Key", f.project.writeKey()).contentType("application/json")
                .body(Map.of("note", "x".repeat(2001)))
                .when().post("/api/v1/agent/alerts/" + id + "/resolve")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("note"));
        given().header("X-API-Key", f.project.writeKey()).contentType("application/json")
                .body("{\"note\": \"" + "y".repeat(100_000) + "\"}")
                .when().post("/api/v1/agent/alerts/" + id + "/resolve")
                .then().statusCode(413).contentType("application/problem+json").body("field", equalTo("note"));
        given().header("X-API-Key", f.project.writeKey()).contentType("application/json")
                .body("{\"note\": \"cause\\u0000\"}")
                .when().post("/api/v1/agent/alerts/" + id + "/resolve")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("X-API-Key", f.project.writeKey()).contentType("application/json")
                .body(Map.of("note", " root cause: the rename; the feed was fixed and v3 retrained "))
                .when().post("/api/v1/agent/alerts/" + id + "/resolve")
                .then().statusCode(200)
                .body("status", equalTo("resolved"))
                .body("acknowledged_note", equalTo("looking: the upstream feed renamed a column"))
                .body("resolved_note", equalTo("root cause: the rename; the feed was fixed and v3 retrained"));
        org.assertj.core.api.Assertions.assertThat(f.count("SELECT count(*) FROM alerts WHERE id = ? AND resolved_note "
                + "= 'root cause: the rename; the feed was fixed and v3 retrained'", id)).isEqualTo(1);
        given().header("X-API-Key", f.project.readKey()).when().get("/api/v1/agent/alerts/" + id)
                .then().statusCode(200).body("resolved_note", startsWith("root cause"));
    }

    @Test
    void aReadKeyCannotAcknowledgeAndNoKeyIsUnauthorized() {
        long id = lowConfidence(Fixtures.model("auth"), 0.4);
        given().header("X-API-Key", f.project.readKey()).when().post("/api/v1/agent/alerts/" + id + "/acknowledge")
                .then().statusCode(403).contentType("application/problem+json");
        given().when().get("/api/v1/agent/alerts")
                .then().statusCode(401).header("WWW-Authenticate", notNullValue());
    }

    @Test
    void listsFilterByStatusKindAndModelAndArePaged() throws Exception {
        String a = Fixtures.model("list-a");
        String b = Fixtures.model("list-b");
        long first = lowConfidence(a, 0.4);
        f.signal("{\"kind\": \"data_quality\", \"model_name\": \"" + b + "\", \"evidence\": {\"invalid_rate\": 0.1}}");
        lowConfidence(b, 0.4);
        given().header("X-API-Key", f.project.writeKey()).post("/api/v1/agent/alerts/" + first + "/resolve").then().statusCode(200);

        given().header("X-API-Key", f.project.readKey()).queryParam("model_name", b).when().get("/api/v1/agent/alerts")
                .then().statusCode(200).body("total", equalTo(2)).body("items.model_name", everyItem(equalTo(b)));
        given().header("X-API-Key", f.project.readKey()).queryParam("kind", "data_quality").when().get("/api/v1/agent/alerts")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].model_name", equalTo(b));
        given().header("X-API-Key", f.project.readKey()).queryParam("status", "active").when().get("/api/v1/agent/alerts")
                .then().statusCode(200).body("total", equalTo(2)).body("items.id", not(org.hamcrest.Matchers.hasItem((int) first)));
        given().header("X-API-Key", f.project.readKey()).queryParam("size", 1).queryParam("page", 1).when()
                .get("/api/v1/agent/alerts")
                .then().statusCode(200).body("total", equalTo(3)).body("items.size()", equalTo(1)).body("page", equalTo(1));
        given().header("X-API-Key", f.project.readKey()).queryParam("status", "open").when().get("/api/v1/agent/alerts")
                .then().statusCode(400).body("field", equalTo("status"));
    }

    @Test
    void anotherProjectsAlertIsNotFound() throws Exception {
        long id = lowConfidence(Fixtures.model("other"), 0.4);
        Fixtures other = new Fixtures(dataSource, "alerts-other");
        given().header("X-API-Key", other.project.readKey()).when().get("/api/v1/agent/alerts/" + id)
                .then().statusCode(404).contentType("application/problem+json");
    }
}
