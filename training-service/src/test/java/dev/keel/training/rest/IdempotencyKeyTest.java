package dev.keel.training.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.training.service.RunRecorder;
import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request sent again with the same Idempotency-Key answers the run the first one started. */
@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class IdempotencyKeyTest {

    @Inject
    DataSource db;

    @Inject
    RunRecorder recorder;

    TestProjects.Project project;
    String model;

    @BeforeEach
    void setUp() {
        project = TestProjects.create(db);
        model = "heart-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRetrainSentAgainWithItsKeyAnswersTheFirstRunAndAnotherRequestWithTheKeyIsRefused() throws Exception {
        long dataset = Runs.heartDataset(project, 300, 41);
        String key = "keel-agent-action-" + UUID.randomUUID();
        String body = "{\"dataset_id\": " + dataset + ", \"trigger\": \"agent\", \"reason\": \"drift on chol\"}";

        long first = retrain(key, body).then().statusCode(202)
                .header("Location", containsString("/api/v1/training-runs/"))
                .extract().jsonPath().getLong("id");
        for (int i = 0; i < 2; i++) {
            retrain(key, body).then().statusCode(200)
                    .header("Content-Location", endsWith("/api/v1/training-runs/" + first))
                    .body("id", equalTo((int) first))
                    .body("trigger", equalTo("agent"))
                    .body("triggered_by", equalTo("bootstrap-admin: drift on chol"));
        }
        assertThat(runsOf(model)).containsExactly(first);

        retrain(key, "{\"dataset_id\": " + dataset + ", \"trigger\": \"agent\", \"reason\": \"another diagnosis\"}")
                .then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("Idempotency-Key"))
                .body("detail", containsString("training run " + first));
        // a key names a run only within its project
        TestProjects.Project other = TestProjects.create(db);
        long otherDataset = Runs.heartDataset(other, 300, 41);
        long elsewhere = other.asAdmin().contentType("application/json").header("Idempotency-Key", key)
                .body("{\"dataset_id\": " + otherDataset + ", \"trigger\": \"agent\", \"reason\": \"drift on chol\"}")
                .when().post("/api/v1/models/" + model + "/retrain")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        assertThat(elsewhere).isNotEqualTo(first);
        Runs.awaitFinished(project, first);
        Runs.awaitFinished(other, elsewhere);
    }

    @Test
    void fourCopiesOfOneRequestSentAtOnceStartOneRun() throws Exception {
        long dataset = Runs.heartDataset(project, 300, 42);
        String key = UUID.randomUUID().toString();
        String body = "{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset
                + ", \"families\": [\"gradient_boosting\"], \"search\": {\"budget\": 1}}";
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Response>> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            copies.add(CompletableFuture.supplyAsync(() -> {
                await(go);
                return project.asAdmin().contentType("application/json").header("Idempotency-Key", key).body(body)
                        .when().post("/api/v1/training-runs");
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (CompletableFuture<Response> copy : copies) {
            Response r = copy.get();
            statuses.add(r.statusCode());
            ids.add(r.jsonPath().getLong("id"));
        }
        assertThat(statuses).containsExactlyInAnyOrder(202, 200, 200, 200);
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(runsOf(model)).containsExactly(ids.get(0));
        Runs.awaitFinished(project, ids.get(0));
    }

    @Test
    void aRunTurnedAwayByAFullQueueFreesItsKeySoTheRetryStartsOne() throws Exception {
        long dataset = Runs.heartDataset(project, 300, 44);
        String key = UUID.randomUUID().toString();
        String body = "{\"dataset_id\": " + dataset + "}";
        long first = retrain(key, body).then().statusCode(202).extract().jsonPath().getLong("id");
        Runs.awaitFinished(project, first);
        // what the service does when the queue fills between the check and the hand-over (then answers 503)
        recorder.turnedAway(first, "The training queue was full; start the run again later");

        long retried = retrain(key, body).then().statusCode(202).extract().jsonPath().getLong("id");
        assertThat(retried).isNotEqualTo(first);
        retrain(key, body).then().statusCode(200).body("id", equalTo((int) retried));
        Runs.awaitFinished(project, retried);
    }

    @Test
    void aMalformedKeyIsRefusedNamingTheHeaderAndStartsNothing() throws Exception {
        long dataset = Runs.heartDataset(project, 300, 43);
        String body = "{\"dataset_id\": " + dataset + "}";
        for (String bad : List.of("two words", "x".repeat(256), "caf\u00e9", "")) {
            retrain(bad, body).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("Idempotency-Key"))
                    .body("detail", containsString("1 to 255 visible ASCII characters"));
        }
        project.asAdmin().contentType("application/json").header("Idempotency-Key", "two words")
                .body("{\"model_name\": \"" + model + "\", \"dataset_id\": " + dataset + "}")
                .when().post("/api/v1/training-runs")
                .then().statusCode(400).body("field", equalTo("Idempotency-Key"));
        project.asAdmin().contentType("application/json").header("Idempotency-Key", "one", "two").body(body)
                .when().post("/api/v1/models/" + model + "/retrain")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("Idempotency-Key"))
                .body("detail", containsString("sent 2 times"));
        assertThat(runsOf(model)).isEmpty();
    }

    @Test
    void aKeyOlderThanItsTimeToLiveStartsANewRun() throws Exception {
        long dataset = Runs.heartDataset(project, 300, 45);
        String key = UUID.randomUUID().toString();
        String body = "{\"dataset_id\": " + dataset + "}";
        long first = retrain(key, body).then().statusCode(202).extract().jsonPath().getLong("id");
        Runs.awaitFinished(project, first);
        retrain(key, body).then().statusCode(200).body("id", equalTo((int) first));
        // the first request was a day and a minute ago (KEEL_TRAINING_IDEMPOTENCY_KEY_TTL is 24h)
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE training_runs SET created_at = created_at - interval '1 day 1 minute' WHERE id = ?")) {
            ps.setLong(1, first);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        long second = retrain(key, body).then().statusCode(202).extract().jsonPath().getLong("id");
        assertThat(second).isNotEqualTo(first);
        retrain(key, body).then().statusCode(200).body("id", equalTo((int) second));
        assertThat(runsOf(model)).containsExactlyInAnyOrder(first, second);
        Runs.awaitFinished(project, second);
    }

    @Test
    void theOpenApiDocumentNamesTheHeaderOnBothWaysOfStartingARun() {
        JsonPath doc = RestAssured.given().queryParam("format", "json")
                .when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String path : List.of("'/api/v1/training-runs'", "'/api/v1/models/{name}/retrain'")) {
            List<Map<String, Object>> headers = doc.getList("paths." + path + ".post.parameters.findAll { it.in == 'header' }");
            assertThat(headers).as(path).singleElement().satisfies(h -> {
                assertThat(h.get("name")).isEqualTo("Idempotency-Key");
                assertThat((String) h.get("description")).contains("1 to 255 visible ASCII characters");
            });
        }
    }

    private Response retrain(String key, String body) {
        return project.asAdmin().contentType("application/json").header("Idempotency-Key", key).body(body)
                .when().post("/api/v1/models/" + model + "/retrain");
    }

    private List<Long> runsOf(String modelName) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id FROM training_runs WHERE project_id = ? AND model_name = ?")) {
            s.setLong(1, project.id());
            s.setString(2, modelName);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
