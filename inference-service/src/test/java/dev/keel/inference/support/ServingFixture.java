package dev.keel.inference.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.keel.common.testing.TestProjects;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** A project with keys and a model the stubbed registry announces, waited for until inference serves it. */
public final class ServingFixture {

    private ServingFixture() {
    }

    public static TestProjects.Project projectServing(DataSource dataSource, String model, int version, byte[] artifact)
            throws SQLException {
        TestProjects.Project project = TestProjects.create(dataSource, "inf");
        RegistryStub.publish(new RegistryStub.Version(project.name(), model, version, 0.5, artifact));
        awaitServing(project, model, version);
        return project;
    }

    public static void awaitServing(TestProjects.Project project, String model, int version) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var response = given().header("Authorization", "Bearer " + project.readKey())
                    .get("/api/v1/models/" + model);
            return response.statusCode() == 200 && response.jsonPath().getInt("version") == version;
        });
    }
}
