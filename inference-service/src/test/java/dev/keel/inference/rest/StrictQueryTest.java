package dev.keel.inference.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@code explain} is true or false: anything else was read as false and answered without the
 * explanation asked for; and a key given twice in the body was a 500 with an empty body.
 */
@QuarkusTest
class StrictQueryTest {

    private static final byte[] REGRESSION = TestModels.trainRegression(15, 12);

    @Inject
    DataSource dataSource;

    private static RequestSpecification as(TestProjects.Project project) {
        return given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON);
    }

    @Test
    void explainIsTrueOrFalseAndNothingElse() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "strict", 1, REGRESSION);
        Map<String, Object> body = Map.of("model", "strict", "features", PredictResourceTest.rows().get(0));
        as(project).body(body).post("/api/v1/predict").then().statusCode(200).body("$", not(hasKey("contributions")));
        as(project).body(body).post("/api/v1/predict?explain=false").then().statusCode(200).body("$", not(hasKey("contributions")));
        as(project).body(body).post("/api/v1/predict?explain=1").then().statusCode(200).body("$", hasKey("contributions"));
        as(project).body(body).post("/api/v1/predict?explain=TRUE").then().statusCode(200).body("$", hasKey("contributions"));
        for (String bad : new String[] {"abc", "2", "yes"}) {
            as(project).body(body).post("/api/v1/predict?explain=" + bad).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("explain"))
                    .body("detail", startsWith("explain: must be true or false"));
        }
        as(project).body("{\"model\":\"strict\",\"features\":{},\"model\":\"strict\"}").post("/api/v1/predict")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("model"));
    }
}
