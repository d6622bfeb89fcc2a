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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoundClaimTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final List<String> MODELS = List.of("heart", "churn");

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
        RoundClaim replica = new RoundClaim(job, leases, () -> LEASE, () -> POLL);
        RoundClaim another = new RoundClaim(job, leases, () -> LEASE, () -> POLL);
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

    @Test
    void aFiringThatComesWhileThisReplicaTakesOverARoundRunsAfterTheTakeover() throws Exception {
        // the same holder: the claim alone would let the firing in beside the takeover
        firingDuringATakeover(false);
    }

    @Test
    void aFiringThatComesWhileAnotherReplicaTakesOverARoundRunsAfterTheTakeover() throws Exception {
        // another holder: the claim alone would turn the firing away, and no replica would run it
        firingDuringATakeover(true);
    }

    /**
     * A dead round taken over and held open (by this replica, or by another) while the next firing comes on
     * this replica: the firing's round runs once the takeover ends, each model's window is done once, and
     * the job's lease is held whenever either round runs.
     */
    private void firingDuringATakeover(boolean elsewhere) throws Exception {
        DriftFixtures fixtures = new DriftFixtures(dataSource, json);
        String job = DriftFixtures.unique("round-claim-test");
        Instant dead = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        Instant next = dead.plusSeconds(30);
        fixtures.lease(job, "drift-service-dead", Instant.now().minusSeconds(1), dead);
        RoundClaim replica = new RoundClaim(job, leases, () -> LEASE, () -> POLL);
        RoundClaim takingOver = elsewhere ? new RoundClaim(job, leases, () -> LEASE, () -> POLL) : replica;
        Rounds rounds = new Rounds(job);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<Instant>> firing;
        try {
            takingOver.heartbeat(() -> takingOver.takeOver(f -> rounds.run("takeover", f, started, release)));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            firing = CompletableFuture.supplyAsync(() -> replica.runFiring(next,
                    () -> rounds.run("firing", next, null, null), f -> rounds.run("firing finishing", f, null, null)));
            Instant pastTheLease = Instant.now().plus(LEASE).plusSeconds(1);
            while (Instant.now().isBefore(pastTheLease)) {
                takingOver.heartbeat(() -> { });
                if (elsewhere) {
                    replica.heartbeat(() -> replica.takeOver(f -> rounds.run("second takeover", f, null, null)));
                }
                Thread.sleep(300);
            }
            assertThat(firing).as("the firing waits for the takeover").isNotDone();
            assertThat(rounds.events).containsExactly("takeover started");
        } finally {
            release.countDown();
        }

        assertThat(firing.get(10, TimeUnit.SECONDS)).containsExactly(next);
        assertThat(rounds.events).containsExactly("takeover started", "takeover ended", "firing started", "firing ended");
        assertThat(rounds.done).as("each model's window done once").isEqualTo(Map.of(
                "heart@" + dead, 1, "churn@" + dead, 1, "heart@" + next, 1, "churn@" + next, 1));
        assertThat(rounds.leaseLapsed).as("rounds that found the job's lease not held").isEmpty();
        assertThat(leases.lastRun(RoundClaim.completedRow(job))).isEqualTo(Optional.of(next));
        assertThat(replica.takeOver(f -> List.of(f))).isEmpty();
    }

    /** Rounds that do each model's window and note, at their start and end, whether the job's lease is held. */
    private final class Rounds {

        final String job;
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, Integer> done = new ConcurrentHashMap<>();
        final List<String> leaseLapsed = new CopyOnWriteArrayList<>();

        Rounds(String job) {
            this.job = job;
        }

        List<Instant> run(String name, Instant window, CountDownLatch started, CountDownLatch release) {
            events.add(name + " started");
            leaseHeld(name + " at its start");
            MODELS.forEach(m -> done.merge(m + "@" + window, 1, Integer::sum));
            if (started != null) {
                started.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            leaseHeld(name + " at its end");
            events.add(name + " ended");
            return List.of(window);
        }

        private void leaseHeld(String when) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT lease_until > now() FROM job_leases WHERE job_name = ?")) {
                ps.setString(1, job);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        leaseLapsed.add(when);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
