package dev.keel.training.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The recent-outcome gauges count every run in training_runs, not only those this process ran. */
@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class RecentRunOutcomesTest {

    @Inject
    DataSource db;

    @Inject
    RecentRunOutcomes outcomes;

    @Test
    void aRunThatFailedInAnotherProcessIsCountedFromTheDatabase() throws SQLException {
        TestProjects.Project project = TestProjects.create(db);
        outcomes.refresh();
        double before = failed();
        // as the retraining CronJob's pod leaves it: finished, failed, never counted by this process
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO training_runs (project_id, model_name, trigger, triggered_by, status, started_at, finished_at) "
                        + "VALUES (?, 'heart', 'schedule', 'retrain-due', 'failed', now() - interval '1 hour', now()), "
                        + "(?, 'heart', 'schedule', 'retrain-due', 'failed', now() - interval '9 hours', now() - interval '8 hours')")) {
            ps.setLong(1, project.id());
            ps.setLong(2, project.id());
            ps.executeUpdate();
        }
        outcomes.refresh();
        assertThat(failed()).as("the one of the last 6 hours").isEqualTo(before + 1);
    }

    private static double failed() {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("keel_training_runs_recent{") && l.contains("status=\"failed\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
