package dev.keel.inference.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.keel.common.security.ApiKeySecret;
import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@QuarkusTest
@TestProfile(RateLimitTest.TightLimit.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitTest {

    @Inject
    DataSource dataSource;

    @Test
    @Order(1)
    void aKeyOverItsRateGets429WithRetryAfterWhileAnotherKeyIsUnaffected() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "limited", 1, TestModels.train(3, 2));
        Map<String, Object> body = Map.of("model", "limited", "features", Map.of("age", 50, "chol", 200, "sex", 1, "cp", 0));
        // the fixture's readiness polling spent some of the reader's burst already; drain the rest
        int status = 200;
        for (int i = 0; i < 50 && status == 200; i++) {
            status = given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/predict").statusCode();
        }
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/predict")
                .then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("status", equalTo(429));
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/predict").then().statusCode(200);
    }

    /** Last: it spends this client address's budget of refused keys, which new keys of other tests would need. */
    @Test
    @Order(2)
    void anAddressSendingUnknownKeysGets429BeforeAnyLookupWhileKnownKeysPass() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "guarded", 1, TestModels.train(3, 2));
        Map<String, Object> body = Map.of("model", "guarded", "features", Map.of("age", 50, "chol", 200, "sex", 1, "cp", 0));
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/predict").then().statusCode(200);
        TestProjects.Project unseen = TestProjects.create(dataSource, "unseen");

        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer " + ApiKeySecret.generate().secret()).contentType(ContentType.JSON)
                    .body(body).post("/api/v1/predict").then().statusCode(401);
        }
        given().header("Authorization", "Bearer " + ApiKeySecret.generate().secret()).contentType(ContentType.JSON)
                .body(body).post("/api/v1/predict")
                .then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("detail", containsString("unknown API keys"));
        // a key the cache knows still passes from the same address; one it does not know waits too
        given().header("Authorization", "Bearer " + project.writeKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/predict").then().statusCode(200);
        given().header("Authorization", "Bearer " + unseen.readKey()).get("/api/v1/models").then().statusCode(429);
    }

    public static class TightLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keel.inference.rate-limit.requests-per-second", "0.5",
                    "keel.inference.rate-limit.burst", "20",
                    "keel.auth.refused-keys-per-minute", "5");
        }
    }
}
