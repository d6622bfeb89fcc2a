package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.keel.training.testing.RegistryStub;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No run stays "running" forever: a restarted replica fails what it had, and any replica fails the
 * runs of a replica that stopped sending heartbeats; but a restart never fails the runs of another
 * live replica that goes by the same name. The runs are written as a crashed replica would have
 * left them.
 */
@QuarkusTest
@WithTestResource(value = RegistryStub.class, scope = TestResourceScope.GLOBAL)
class InterruptedRunsTest {

    @Inject
    DataSource db;
    @Inject
    InterruptedRunReaper reaper;

    TestProjects.Project project;

    @BeforeEach
    void setUp() {
        project = TestProjects.create(db);
    }

    @Test
    void aRestartFailsTheRunsThisReplicaHadAndThoseOfReplicasThatWentSilent() throws SQLException {
        long ownRunning = run("running", "training-test", "now() - interval '1 minute'");
        long ownQueued = run("queued", "training-test", "now() - interval '40 seconds'");
        long lostReplica = run("running", "training-7f9c-gone", "now() - interval '10 minutes'");
        long liveReplica = run("running", "training-other-alive", "now()");
        long finished = run("succeeded", "training-test", "now() - interval '1 day'");

        List<Long> failed = reaper.recoverAfterRestart();

        // the lost replica's run may already have been failed by the scheduled heartbeat's own reaping,
        // so it is checked by its status, not by being in this call's list
        assertThat(failed).contains(ownRunning, ownQueued).doesNotContain(liveReplica, finished);
        assertThat(status(ownRunning)).isEqualTo("failed");
        assertThat(status(ownQueued)).isEqualTo("failed");
        assertThat(status(lostReplica)).isEqualTo("failed");
        assertThat(status(liveReplica)).isEqualTo("running");
        assertThat(status(finished)).isEqualTo("succeeded");
        project.asAdmin().when().get("/api/v1/training-runs/" + ownRunning).then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("error", containsString("Interrupted: the training service (training-test) restarted before the run finished"))
                .body("finished_at", org.hamcrest.Matchers.notNullValue());
        project.asAdmin().when().get("/api/v1/training-runs/" + lostReplica).then().statusCode(200)
                .body("error", containsString("stopped sending heartbeats for over 120 s"));
        fail(liveReplica);
    }

    @Test
    void whileRunningTheReaperFailsOnlyRunsWhoseHeartbeatStopped() throws SQLException {
        long mineAndAlive = run("running", "training-test", "now()");
        long silent = run("running", "training-crashed", "now() - interval '3 minutes'");
        long quiet = run("running", "training-slow", "now() - interval '90 seconds'");

        List<Long> failed = reaper.reapStale();

        assertThat(failed).doesNotContain(mineAndAlive, quiet);   // silent: possibly failed by the scheduled reaping first
        assertThat(status(silent)).isEqualTo("failed");
        assertThat(status(mineAndAlive)).isEqualTo("running");
        assertThat(status(quiet)).isEqualTo("running");
        // leave nothing running behind for the other tests' restarts to find
        fail(mineAndAlive);
        fail(quiet);
    }

    @Test
    void aRestartLeavesTheRunsOfALiveReplicaOfTheSameNameAndFailsItsOwnOnceTheirHeartbeatStaysStill()
            throws SQLException {
        // two replicas on one host, both named by the host name: the other one is training this run
        long othersLive = run("running", "training-test", "now() - interval '3 seconds'");
        // and this one was killed seconds ago, in the middle of its own
        long ownKilled = run("running", "training-test", "now() - interval '5 seconds'");

        List<Long> failed = reaper.recoverAfterRestart();

        assertThat(failed).doesNotContain(othersLive, ownKilled);
        assertThat(status(othersLive)).isEqualTo("running");
        assertThat(status(ownKilled)).isEqualTo("running");

        heartbeat(othersLive);   // the live replica marks its run alive, as it does every interval
        assertThat(reaper.failUnmovedSinceStart()).containsExactly(ownKilled);

        assertThat(status(othersLive)).isEqualTo("running");
        project.asAdmin().when().get("/api/v1/training-runs/" + ownKilled).then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("error", containsString("Interrupted: the training service (training-test) restarted before the run finished"));
        fail(othersLive);
    }

    private void heartbeat(long id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE training_runs SET progress = progress || jsonb_build_object('heartbeat_at', now()) WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private long run(String status, String worker, String heartbeat) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO training_runs (project_id, model_name, trigger, triggered_by, status, phase, started_at, progress) "
                        + "VALUES (?, 'heart', 'manual', 'test', ?, 'searching', now() - interval '20 minutes', "
                        + "jsonb_build_object('worker', CAST(? AS text), 'heartbeat_at', " + heartbeat
                        + ", 'candidates_done', 3, 'candidates_total', 8)) RETURNING id")) {
            ps.setLong(1, project.id());
            ps.setString(2, status);
            ps.setString(3, worker);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void fail(long id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE training_runs SET status = 'failed', error = 'test cleanup' WHERE id = ? AND status = 'running'")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private String status(long id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM training_runs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
