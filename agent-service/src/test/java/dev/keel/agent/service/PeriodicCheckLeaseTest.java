package dev.keel.agent.service;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.agent.testing.Downstream;
import dev.keel.agent.testing.Fixtures;
import dev.keel.agent.testing.InjectDownstream;
import dev.keel.common.jobs.JobLeases;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

    /**
     * The real leases, until {@link #kill} names a holder: from then on that holder's renewals and its
     * release never reach the database, as when its replica dies, while the check itself runs on.
     */
    static final class KillableLeases extends JobLeases {
        private final JobLeases real;
        private volatile String killed;

        KillableLeases(DataSource dataSource, JobLeases real) {
            super(dataSource);
            this.real = real;
        }

        void kill(String holder) {
            killed = holder;
        }

        private boolean dead(String holder) {
            return holder.equals(killed);
        }

        @Override
        public boolean acquire(String job, String holder, Duration duration) {
            return dead(holder) || real.acquire(job, holder, duration);
        }

        @Override
        public boolean acquireSpaced(String job, String holder, Duration duration, Duration spacing) {
            return !dead(holder) && real.acquireSpaced(job, holder, duration, spacing);
        }

        @Override
        public boolean claim(String job, Instant firing, String holder, Duration duration) {
            return !dead(holder) && real.claim(job, firing, holder, duration);
        }

        @Override
        public void release(String job, String holder) {
            if (!dead(holder)) {
                real.release(job, holder);
            }
        }

        @Override
        public Optional<Instant> lastRun(String job) {
            return real.lastRun(job);
        }
    }

    @Test
    void aReplicaKilledMidCheckHoldsUpChecksForOneLeaseOnly() throws Exception {
        KillableLeases killable = new KillableLeases(dataSource, new JobLeases(dataSource));
        QuarkusMock.installMockForType(killable, JobLeases.class);
        String model = Fixtures.model("killedcheck");
        f.production(model, 1, 0.85, 0.9, 0.5);
        f.driftReport(model, 1, true, 0.5, 0.3, "warning");
        // the check's generate_report waits on drift-service long past the lease
        downstream.drift.stubFor(post(urlPathEqualTo("/api/v1/drift/reports")).withRequestBody(containing(model)).atPriority(1)
                .willReturn(Downstream.json(201, "{\"id\": 98, \"model_name\": \"" + model + "\", \"model_version\": 1, "
                        + "\"dataset_drift\": true, \"drift_score\": 0.41, \"severity\": \"warning\"}").withFixedDelay(10000)));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> given()
                .header("X-API-Key", f.project.writeKey()).when().post("/api/v1/agent/checks").then().extract().statusCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (f.count("SELECT count(*) FROM agent_actions WHERE project_id = ? AND model_name = ? "
                + "AND action = 'generate_report' AND status = 'running'", f.project.id(), model) == 0) {
            assertThat(System.nanoTime()).as("generate_report started").isLessThan(deadline);
            Thread.sleep(50);
        }
        // killed just after a renewal, so that the lease it leaves is as long as the check makes it
        Lease left = lease();
        while (left.secondsLeft() < 2.5) {
            assertThat(System.nanoTime()).as("the running check renews its lease").isLessThan(deadline);
            Thread.sleep(20);
            left = lease();
        }
        killable.kill(left.holder());
        long killedAt = System.nanoTime();

        try {
            // another project's check on demand (so it does not wait on the same model) is refused while the
            // dead replica's lease runs, then runs within one lease of the kill
            Fixtures other = new Fixtures(dataSource, "lease-other");
            given().header("X-API-Key", other.project.writeKey()).when().post("/api/v1/agent/checks").then().statusCode(409);
            int status = 409;
            while (status == 409 && System.nanoTime() - killedAt < TimeUnit.MILLISECONDS.toNanos(3000 + 1500)) {
                Thread.sleep(200);
                status = given().header("X-API-Key", other.project.writeKey()).when().post("/api/v1/agent/checks")
                        .then().extract().statusCode();
            }
            assertThat(status).as("a check on demand within one lease (3 s) of the kill").isEqualTo(200);
            assertThat(lease().holder()).as("the lease is no longer the dead replica's").isNotEqualTo(left.holder());

            // the dead replica's check, still running here, ends before the real leases are back
            assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        } finally {
            // a failure here must not leave the dead replica's lease to the tests after this one
            new JobLeases(dataSource).release("agent-check", left.holder());
        }
    }
}
