package dev.keel.inference.serving;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.common.testing.TestProjects;
import dev.keel.inference.support.RegistryStub;
import dev.keel.inference.support.ServingFixture;
import dev.keel.inference.support.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A production version whose artifact cannot be served (here: the bytes do not match the announced
 * checksum) is not downloaded again at every poll: the pause between tries doubles, the previous
 * version serves meanwhile, and a newer version is loaded at once.
 */
@QuarkusTest
class FailedLoadTest {

    private static final byte[] V1 = TestModels.train(5, 3);
    private static final byte[] V2 = TestModels.train(12, 4);
    private static final byte[] V3 = TestModels.train(20, 5);
    private static final Map<String, Object> ROW = Map.of("age", 58, "chol", 262, "sex", 1, "cp", "atypical");

    @Inject
    DataSource dataSource;

    @Test
    void aVersionThatFailsToLoadIsTriedAgainAfterGrowingPausesWhileThePreviousOneServes() throws Exception {
        TestProjects.Project project = ServingFixture.projectServing(dataSource, "mangled", 1, V1);
        byte[] truncated = Arrays.copyOf(V2, V2.length / 2);
        RegistryStub.Version v2 = new RegistryStub.Version(project.name(), "mangled", 2, 0.5, V2);
        RegistryStub.publishServing(v2, truncated);
        String artifactPath = "/api/v1/models/mangled/versions/2/artifact";

        // polls every second (the test profile): once a second without the pause, 1 + 1 + 2 + 4 s with it
        Thread.sleep(7_500);
        int downloads = RegistryStub.requestsFor(artifactPath);
        assertThat(downloads).as("downloads of the mangled artifact in 7.5 s of 1 s polls").isBetween(1, 4);
        given().header("Authorization", "Bearer " + project.readKey()).contentType(ContentType.JSON)
                .body(Map.of("model", "mangled", "features", ROW)).post("/api/v1/predict")
                .then().statusCode(200).body("version", equalTo(1));

        // a newer version does not wait for the failed one's pause
        RegistryStub.publish(new RegistryStub.Version(project.name(), "mangled", 3, 0.5, V3));
        ServingFixture.awaitServing(project, "mangled", 3);
    }
}
