package dev.keel.system;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The five services as child processes, started from their fast-jars
 * ({@code <service>/target/quarkus-app/quarkus-run.jar}) on free ports, each with its own working
 * directory and its console written to {@code target/system-logs/<service>.log}. Every service gets
 * only the environment this class gives it: inherited {@code KEEL_*} and {@code QUARKUS_*} variables
 * (a developer's shell) are removed, so the suite runs the same everywhere.
 */
final class KeelSuite implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KeelSuite.class.getName());

    /** The services, in the order they are started and stopped (reverse). */
    enum Service {
        REGISTRY("registry-service"),
        INFERENCE("inference-service"),
        DRIFT("drift-service"),
        TRAINING("training-service"),
        AGENT("agent-service");

        final String module;

        Service(String module) {
            this.module = module;
        }
    }

    /** What every service shares: the database and the bootstrap key. */
    record Settings(Path root, Path logs, Path work, String jdbcUrl, String dbUser, String dbPassword, String adminKey,
                    Map<Service, Map<String, String>> env, Map<Service, List<String>> jvmArgs) {
    }

    private final Settings settings;
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);

    private KeelSuite(Settings settings) {
        this.settings = settings;
    }

    /** Chooses the ports; {@link #start} starts the processes. */
    static KeelSuite withFreePorts(Settings settings) throws IOException {
        KeelSuite suite = new KeelSuite(settings);
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (Service s : Service.values()) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                suite.ports.put(s, socket.getLocalPort());
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return suite;
    }

    String url(Service service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** Starts all five at once (their Flyway migrations serialise on Flyway's lock). */
    void start() throws IOException {
        Files.createDirectories(settings.logs());
        for (Service s : Service.values()) {
            Path jar = settings.root().resolve(s.module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the services first (./mvnw -B verify "
                        + "builds them before this module; alone: ./mvnw -B install -DskipTests)");
            }
            Path workDir = settings.work().resolve(s.module);
            Files.createDirectories(workDir);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(settings.jvmArgs().getOrDefault(s, List.of()));
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(settings.logs().resolve(s.module + ".log").toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("KEEL_") || k.startsWith("QUARKUS_") || k.startsWith("DRIFT_"));
            env.putAll(environment(s));
            processes.put(s, builder.start());
            LOG.info(() -> "Started " + s.module + " on " + url(s) + " (pid " + processes.get(s).pid() + ")");
        }
    }

    private Map<String, String> environment(Service s) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(ports.get(s)));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", settings.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", settings.dbUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", settings.dbPassword());
        env.put("KEEL_ADMIN_KEY", settings.adminKey());
        env.put("KEEL_REGISTRY_URL", url(Service.REGISTRY));
        switch (s) {
            case DRIFT -> env.put("KEEL_AGENT_URL", url(Service.AGENT));
            case AGENT -> {
                env.put("KEEL_TRAINING_URL", url(Service.TRAINING));
                env.put("KEEL_DRIFT_URL", url(Service.DRIFT));
                env.put("KEEL_CONSOLE_INFERENCE_URL", url(Service.INFERENCE));
            }
            case REGISTRY, INFERENCE, TRAINING -> {
            }
        }
        env.putAll(settings.env().getOrDefault(s, Map.of()));
        return env;
    }

    /** Waits until every service's readiness check says UP; fails early, naming the log, if one exits. */
    void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Instant started = Instant.now();
        List<Service> pending = new ArrayList<>(List.of(Service.values()));
        while (!pending.isEmpty()) {
            for (Service s : List.copyOf(pending)) {
                Process p = processes.get(s);
                if (!p.isAlive()) {
                    throw new IllegalStateException(s.module + " exited with " + p.exitValue() + " before it was ready; see "
                            + settings.logs().resolve(s.module + ".log"));
                }
                if (status(url(s) + "/q/health/ready") == 200) {
                    pending.remove(s);
                    long ms = Duration.between(started, Instant.now()).toMillis();
                    LOG.info(() -> s.module + " ready after " + ms + " ms");
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Not ready within " + timeout.toSeconds() + " s: " + pending
                        + "; see " + settings.logs());
            }
            Thread.sleep(250);
        }
    }

    /** Stops one service gracefully (SIGTERM), as Kubernetes does; fails if it is still running after {@code timeout}. */
    void stop(Service s, Duration timeout) throws InterruptedException {
        signalStop(s);
        awaitExit(s, timeout);
    }

    /** Sends SIGTERM and returns at once, while the service drains. */
    void signalStop(Service s) {
        processes.get(s).destroy();
    }

    /** Waits for a service sent SIGTERM to exit; kills it and fails if it is still running after {@code timeout}. */
    void awaitExit(Service s, Duration timeout) throws InterruptedException {
        Process p = processes.get(s);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(s.module + " did not stop within " + timeout.toSeconds() + " s of SIGTERM; see "
                    + settings.logs().resolve(s.module + ".log"));
        }
    }

    /** The service's working directory (relative paths in its settings, such as a spill directory, are under it). */
    Path workDir(Service s) {
        return settings.work().resolve(s.module);
    }

    /** Graceful stop (SIGTERM, so inference drains its prediction log), then SIGKILL for what is left. */
    @Override
    public void close() {
        List<Service> order = new ArrayList<>(List.of(Service.values()));
        java.util.Collections.reverse(order);
        for (Service s : order) {
            Process p = processes.get(s);
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
        for (Service s : order) {
            Process p = processes.get(s);
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    LOG.warning(() -> s.module + " did not stop within 30 s; killing it");
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(3000);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }
}
