package dev.keel.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.training.testing.Runs;
import dev.keel.training.testing.TestProjects;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.restassured.RestAssured;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The service stopped as a SIGTERM stops it (the whole Quarkus shutdown, in-process) while a run
 * trains: the run is failed with the reason, not left "running" for the reaper. It used to be
 * failed at bean destruction, after Hibernate had closed, so the write failed and the run stayed
 * "running" (and a queued one "queued") until another replica's reaper came by minutes later.
 */
@QuarkusMainTest
@TestProfile(GracefulStopTest.OwnPort.class)
class GracefulStopTest {

    private static final int PORT = freePort();

    /** A port of its own: the app here is not the shared @QuarkusTest one. */
    public static class OwnPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", String.valueOf(PORT), "quarkus.http.port", String.valueOf(PORT));
        }
    }

    @Test
    void aStopFailsTheRunsThisReplicaHoldsWithTheReason(QuarkusMainLauncher launcher) throws Exception {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
        db.setUser(System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres"));
        db.setPassword(System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", ""));
        Thread main = Thread.currentThread();

        // While the service runs (no arguments: it serves until stopped), start two runs on one worker,
        // and once the first is training, stop the service.
        CompletableFuture<long[]> started = CompletableFuture.supplyAsync(() -> {
            RestAssured.port = PORT;
            awaitReady();
            TestProjects.Project project = TestProjects.create(db);
            long dataset = Runs.heartDataset(project, 4000, 61);
            String body = "{\"model_name\": \"heart-stop\", \"dataset_id\": " + dataset + ", \"search\": {\"budget\": 64}}";
            long running = Runs.start(project, body);
            long queued = Runs.start(project, body);
            Runs.awaitRun(project, running, run -> "searching".equals(run.getString("progress.phase")), Duration.ofSeconds(60));
            stop(main);
            return new long[] {running, queued};
        });

        LaunchResult result = launcher.launch();

        long[] runs = started.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isZero();
        for (long run : runs) {
            assertThat(statusAndError(db, run))
                    .isEqualTo("failed: Interrupted: the training service stopped before the run finished; start it again");
        }
    }

    private static void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (RestAssured.get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {   // RestAssured rethrows ConnectException unchecked
                // not listening yet
            }
            sleep(200);
        }
        throw new IllegalStateException("the service did not get ready within 60 s");
    }

    /** Quarkus.asyncExit() of the launched app, whose classes its main thread's loader holds. */
    private static void stop(Thread main) {
        try {
            Class.forName("io.quarkus.runtime.Quarkus", true, main.getContextClassLoader()).getMethod("asyncExit").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String statusAndError(PGSimpleDataSource db, long run) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, error FROM training_runs WHERE id = ?")) {
            ps.setLong(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) + ": " + rs.getString(2);
            }
        }
    }

    /** A free port, the same in the test's class loader and the app's (a system property). */
    private static int freePort() {
        String chosen = System.getProperty("graceful-stop-test.port");
        if (chosen != null) {
            return Integer.parseInt(chosen);
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            System.setProperty("graceful-stop-test.port", String.valueOf(socket.getLocalPort()));
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
