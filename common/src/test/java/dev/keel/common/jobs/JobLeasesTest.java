package dev.keel.common.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.common.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Replicas racing for the same job: one wins each firing, a live lease keeps the others out. */
class JobLeasesTest {

    private static TestDatabase db;
    private static JobLeases leases;

    @BeforeAll
    static void migrate() throws SQLException {
        db = TestDatabase.create();
        Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password())
                .locations("classpath:db/migration").load().migrate();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.jdbcUrl());
        dataSource.setUser(db.username());
        dataSource.setPassword(db.password());
        leases = new JobLeases(dataSource);
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @Test
    void eightReplicasClaimingTheSameFiringLeaveExactlyOneWinner() throws Exception {
        Instant firing = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(race(8, i -> leases.claim("retrain:a/heart", firing, "replica-" + i, Duration.ofMinutes(5))))
                .isEqualTo(1);
        assertThat(leases.lastRun("retrain:a/heart")).contains(firing);

        // the same firing is never claimed twice, not even after the lease was let go
        leases.release("retrain:a/heart", "replica-0");
        for (int i = 0; i < 8; i++) {
            leases.release("retrain:a/heart", "replica-" + i);
        }
        assertThat(leases.claim("retrain:a/heart", firing, "replica-late", Duration.ofMinutes(5))).isFalse();
        // the next firing is claimable once the lease is free
        assertThat(leases.claim("retrain:a/heart", firing.plusSeconds(60), "replica-late", Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void aLiveLeaseKeepsOthersOutUntilItIsReleased() throws Exception {
        assertThat(race(6, i -> leases.acquire("drift-report", "replica-" + i, Duration.ofMinutes(30)))).isEqualTo(1);
        String holder = null;
        for (int i = 0; i < 6 && holder == null; i++) {
            if (leases.acquire("drift-report", "replica-" + i, Duration.ofMinutes(30))) {
                holder = "replica-" + i;     // the holder may renew its own lease
            }
        }
        assertThat(holder).isNotNull();
        assertThat(leases.acquire("drift-report", "someone-else", Duration.ofMinutes(30))).isFalse();

        leases.release("drift-report", holder);
        assertThat(leases.acquire("drift-report", "someone-else", Duration.ofMinutes(30))).isTrue();
    }

    @Test
    void aLeaseTakenOnDemandDoesNotPutOffTheSpacedRun() {
        Duration spacing = Duration.ofMinutes(4);
        assertThat(leases.acquire("agent-on-demand", "caller-1", Duration.ofMinutes(5))).isTrue();
        leases.release("agent-on-demand", "caller-1");
        assertThat(leases.lastRun("agent-on-demand")).as("taking the lease is not a run").isEmpty();
        assertThat(leases.acquireSpaced("agent-on-demand", "replica-a", Duration.ofMinutes(5), spacing)).isTrue();
        leases.release("agent-on-demand", "replica-a");
        java.time.Instant ran = leases.lastRun("agent-on-demand").orElseThrow();
        assertThat(leases.acquire("agent-on-demand", "caller-2", Duration.ofMinutes(5))).isTrue();
        leases.release("agent-on-demand", "caller-2");
        assertThat(leases.lastRun("agent-on-demand")).contains(ran);
    }

    @Test
    void aJobOnEveryReplicasTimerRunsOncePerSpacingInAll() {
        Duration spacing = Duration.ofMinutes(4);
        assertThat(leases.acquireSpaced("agent-periodic", "replica-a", Duration.ofMinutes(30), spacing)).isTrue();
        leases.release("agent-periodic", "replica-a");
        // replica b's timer fires a minute later: the lease is free, but the job ran a minute ago
        assertThat(leases.acquireSpaced("agent-periodic", "replica-b", Duration.ofMinutes(30), spacing)).isFalse();
        assertThat(leases.acquireSpaced("agent-periodic", "replica-a", Duration.ofMinutes(30), spacing)).isFalse();
        // once the spacing has passed, whichever timer fires next runs it
        assertThat(leases.acquireSpaced("agent-periodic", "replica-b", Duration.ofMinutes(30), Duration.ZERO)).isTrue();
        assertThat(leases.acquireSpaced("agent-periodic", "replica-a", Duration.ofMinutes(30), Duration.ZERO))
                .as("b's lease is live").isFalse();
    }

    @Test
    void anExpiredLeaseIsFreeAgain() {
        assertThat(leases.acquire("agent-check", "crashed-replica", Duration.ofMillis(1))).isTrue();
        // lease_until is PostgreSQL's now() + 1 ms: expired by the next statement's now()
        assertThat(leases.acquire("agent-check", "survivor", Duration.ofMinutes(5))).isTrue();
    }

    private interface Attempt {
        boolean run(int replica) throws Exception;
    }

    private static int race(int replicas, Attempt attempt) throws Exception {
        CyclicBarrier start = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                int replica = i;
                Callable<Boolean> call = () -> {
                    start.await();
                    return attempt.run(replica);
                };
                results.add(pool.submit(call));
            }
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get() ? 1 : 0;
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }
}
