package dev.keel.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, which the test may crash and start again: for proving that
 * what a service acknowledged survives a database restart. {@code initdb} makes a cluster in a
 * temporary folder, {@code pg_ctl} starts and stops it on a free port of 127.0.0.1 (trust auth,
 * user {@code postgres}, database {@code postgres}).
 *
 * <p>It needs PostgreSQL's server programs: those in {@code KEEL_TEST_PG_BIN} if set, else the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian and Ubuntu, GitHub's runners included).
 * PostgreSQL refuses to run as root, so as root the programs run as the {@code postgres} user
 * (through {@code runuser}), which owns the folder.
 */
public final class RestartablePostgres implements AutoCloseable {

    private static final long COMMAND_SECONDS = 60;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private RestartablePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Where PostgreSQL's server programs are, if installed. */
    public static Optional<Path> binaries() {
        String configured = System.getenv("KEEL_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(p -> Files.isExecutable(p.resolve("pg_ctl")));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(RestartablePostgres::majorVersion));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a new cluster and starts it. */
    public static RestartablePostgres start() throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL's server programs (initdb, pg_ctl) were not found: install them or set KEEL_TEST_PG_BIN"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("keel-pg-");
        RestartablePostgres server = new RestartablePostgres(bin, dir, freePort(), root);
        if (root) {
            server.run(List.of("chown", "postgres", dir.toString()), false);
        }
        server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--no-sync"), true);
        server.startAgain();
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /**
     * Stops the server the way a crash or a power cut does ({@code pg_ctl stop -m immediate}: no
     * checkpoint, sessions cut): what was committed must come back from the write-ahead log.
     */
    public void crash() throws IOException, InterruptedException {
        pgCtl("stop", "-m", "immediate");
        running = false;
    }

    /**
     * {@link #crash()}, then {@link #startAgain()} once {@code down} has passed: a restart takes
     * seconds in real life, and the services' pools check a connection idle over 1 s before lending
     * it, so an outage shorter than that would test less than a real one.
     */
    public void crashFor(Duration down) throws IOException, InterruptedException {
        crash();
        Thread.sleep(down.toMillis());
        startAgain();
    }

    /** A clean stop, as an operator's restart does ({@code -m fast}: sessions ended, then a checkpoint). */
    public void stop() throws IOException, InterruptedException {
        pgCtl("stop", "-m", "fast");
        running = false;
    }

    /** Starts the stopped server again on the same port and data (after a crash, it recovers first). */
    public void startAgain() throws IOException, InterruptedException {
        pgCtl("start", "-w", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        // five services' pools and a test's own connections
                        + " -c max_connections=200");
        running = true;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (running) {
            crash();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void pgCtl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString()));
        command.addAll(List.of(arguments));
        run(command, true);
    }

    private void run(List<String> command, boolean asServerOwner) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asServerOwner && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("keel-pg-command", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish within " + COMMAND_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " failed (" + p.exitValue() + "): " + Files.readString(output)
                        + serverLog());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    private static int majorVersion(Path bin) {
        String version = bin.getParent().getFileName().toString();
        return version.matches("\\d+") ? Integer.parseInt(version) : 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
