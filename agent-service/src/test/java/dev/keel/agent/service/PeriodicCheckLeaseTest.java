package dev.keel.agent.service;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The periodic check's lease (keel.agent.schedule.check-lease, 3 s in tests) as a replica killed
 * mid-check leaves it: it ends one lease after the last renewal, so the other replicas' checks, and
 * checks on demand, are held up that long and not for the 30 minutes the lease once lasted.
 */
@QuarkusTest
@WithTestResource(value = Downstream.class, scope = TestResourceScope.GLOBAL)
class PeriodicCheckLeaseTest {

    @Inject
    DataSource dataSource;

    @InjectDownstream
    Downstream downstream;

    Fixtures f;

    @BeforeEach
    void project() throws Exception {
        f = new Fixtures(dataSource, "lease");
    }

    /** Seconds until the check's lease runs out, and who holds it. */
    private record Lease(double secondsLeft, String holder) {
    }

    private Lease lease() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT extract(epoch FROM lease_until - now()), holder FROM job_leases WHERE job_name = 'agent-check'");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return new Lease(rs.getDouble(1), rs.getString(2));
        }
    }

    @Test
    void aRunningCheckHoldsAShortLeaseAndRenewsItUntilItEnds() throws Exception {
        String model = Fixtures.model("slowcheck");
        f.production(model, 1, 0.85, 0.9, 0.5);
        f.driftReport(model, 1, true, 0.5, 0.3, "warning");
        // the check's generate_report waits on drift-service longer than two leases
        downstream.drift.stubFor(post(urlPathEqualTo("/api/v1/drift/reports")).withRequestBody(containing(model)).atPriority(1)
                .willReturn(Downstream.json(201, "{\"id\": 99, \"model_name\": \"" + model + "\", \"model_version\": 1, "
                        + "\"dataset_drift\": true, \"drift_score\": 0.41, \"severity\": \"warning\"}").withFixedDelay(8000)));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> given()
                .header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks").then().extract().statusCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (f.count("SELECT count(*) FROM agent_actions WHERE project_id = ? AND model_name = ? "
                + "AND action = 'generate_report' AND status = 'running'", f.project.id(), model) == 0) {
            assertThat(System.nanoTime()).as("generate_report started").isLessThan(deadline);
            Thread.sleep(50);
        }

        // killed now, the replica would leave a lease that ends within one lease
        Lease during = lease();
        assertThat(during.secondsLeft()).as("lease left while the check runs").isBetween(0.0, 3.5);
        assertThat(during.holder()).contains("/on-demand-");
        // two leases later the check still holds it: it was renewed
        Thread.sleep(6000);
        Lease later = lease();
        assertThat(later.holder()).isEqualTo(during.holder());
        assertThat(later.secondsLeft()).as("renewed lease").isBetween(0.0, 3.5);

        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(lease().secondsLeft()).as("let go when the check ended").isLessThanOrEqualTo(0.0);
        Thread.sleep(3500);
        assertThat(lease().secondsLeft()).as("no renewal after the release").isLessThanOrEqualTo(0.0);
    }

    @Test
    void aLeaseLeftByAReplicaKilledMidCheckHoldsUpChecksForOneLeaseOnly() throws Exception {
        // what a replica killed mid-check leaves: its lease, renewed a moment before it died
        f.execute("""
                INSERT INTO job_leases (job_name, holder, lease_until, last_run_at)
                VALUES ('agent-check', 'agent-service-killed', now() + interval '3 seconds', now())
                ON CONFLICT (job_name) DO UPDATE
                   SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, last_run_at = EXCLUDED.last_run_at""");
        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks").then().statusCode(409);
        Thread.sleep(3500);
        given().header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks").then().statusCode(200);
    }
}
