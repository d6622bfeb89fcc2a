package dev.keel.drift.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.jobs.JobLeases;
import dev.keel.drift.DriftFixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoundClaimTest {

    private static final Duration LEASE = Duration.ofSeconds(2);

    @Inject
    JobLeases leases;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Test
    void aTakeoverLongerThanTheLeaseKeepsItsClaimAndIsNotTakenOverAgain() throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        String job = DriftFixtures.unique("round-claim-test");
        Instant firing = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        fixtures.lease(job, "drift-service-dead", Instant.now().minusSeconds(1), firing);
        RoundClaim replica = new RoundClaim(job, leases, () -> LEASE);
        RoundClaim another = new RoundClaim(job, leases, () -> LEASE);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable slowTakeover = () -> replica.takeOver(f -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(f);
        });
        try {
            // the scheduler skips a heartbeat while the last one runs: one that ran the takeover itself
            // would not come back, and nothing would renew the takeover's claim
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> replica.heartbeat(slowTakeover),
                    "the heartbeat returns while the takeover runs");
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            Instant pastTheLease = Instant.now().plus(LEASE).plusSeconds(1);
            while (Instant.now().isBefore(pastTheLease)) {
                replica.heartbeat(slowTakeover);
                Thread.sleep(300);
            }
            assertThat(another.takeOver(f -> List.of(f))).as("a takeover its replica renews is not taken over again")
                    .isEmpty();
        } finally {
            release.countDown();
        }
        Instant deadline = Instant.now().plusSeconds(10);
        while (leases.lastRun(RoundClaim.completedRow(job)).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(leases.lastRun(RoundClaim.completedRow(job))).as("the taken-over round recorded as completed")
                .isEqualTo(Optional.of(firing));
        assertThat(another.takeOver(f -> List.of(f))).isEmpty();
    }
}
