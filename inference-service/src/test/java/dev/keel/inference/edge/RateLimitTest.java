package dev.keel.inference.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

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
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RateLimitTest.TightLimit.class)
class RateLimitTest {

    @Inject
    DataSource dataSource;

    @Test
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

    public static class TightLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keel.inference.rate-limit.requests-per-second", "0.5",
                    "keel.inference.rate-limit.burst", "20");
        }
    }
}
