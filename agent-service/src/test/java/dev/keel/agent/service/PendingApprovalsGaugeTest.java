package dev.keel.agent.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** keel_agent_pending_approvals and the oldest one's age come from agent_actions, as Prometheus scrapes them. */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class PendingApprovalsGaugeTest {

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Test
    void pendingProposalsAreCountedAndTheOldestOnesWaitIsReported() throws Exception {
        Fixtures f = new Fixtures(dataSource, "pending-gauge");
        String model = Fixtures.model("pending");
        // wait for a fresh read so "before" is the table's state, not a value from an earlier scrape
        Thread.sleep(1100);
        double before = gauge("keel.agent.pending.approvals");

        insert(f, model, "pending_approval", "now() - interval '3 hours'", "now() + interval '21 hours'");
        insert(f, model, "pending_approval", "now() - interval '5 minutes'", "now() + interval '1 day'");
        // neither an expired proposal the expiry job has not marked yet, nor a decided one, waits
        insert(f, model, "pending_approval", "now() - interval '2 days'", "now() - interval '1 hour'");
        insert(f, model, "approved", "now() - interval '4 hours'", "now() + interval '20 hours'");

        Fixtures.await("the gauge to count the two waiting proposals", () -> gauge("keel.agent.pending.approvals") == before + 2);
        assertThat(gauge("keel.agent.pending.approvals.oldest.seconds")).isGreaterThanOrEqualTo(3 * 3600.0);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(sample(metrics, "keel_agent_pending_approvals")).isGreaterThanOrEqualTo(2);
        assertThat(sample(metrics, "keel_agent_pending_approvals_oldest_seconds")).isGreaterThanOrEqualTo(3 * 3600.0);

        f.execute("UPDATE agent_actions SET status = 'rejected', finished_at = now() WHERE project_id = ? AND status = 'pending_approval'",
                f.project.id());
        Fixtures.await("the decided proposals to leave the gauge", () -> gauge("keel.agent.pending.approvals") == before);
    }

    private void insert(Fixtures f, String model, String status, String createdAt, String expiresAt) throws Exception {
        f.execute("INSERT INTO agent_actions (project_id, model_name, issue_kind, severity, action, risk, status, explanation, "
                + "proposed_by, created_at, expires_at) VALUES (?, ?, 'data_drift', 'critical', 'retrain_model', 'medium', ?, "
                + "'test', 'agent', " + createdAt + ", " + expiresAt + ")", f.project.id(), model, status);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static double sample(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(exposition);
        assertThat(m.find()).as("%s in /q/metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
