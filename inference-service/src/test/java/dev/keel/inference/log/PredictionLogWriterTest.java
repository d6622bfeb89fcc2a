package dev.keel.inference.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.inference.config.PredictionLogConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The prediction log's promise: every record handed over reaches the table, across a database
 * outage and across a stop of the service. The writer under test reaches PostgreSQL through a
 * relay the test cuts, as a database restart would.
 */
@QuarkusTest
class PredictionLogWriterTest {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private TcpProxy proxy;
    private Path spillDir;
    private String model;

    @BeforeEach
    void relayToTheTestDatabase() throws IOException {
        URI server = URI.create(jdbcUrl.substring("jdbc:".length()));
        proxy = new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
        spillDir = Files.createTempDirectory("keel-spill-test");
        model = "log-test-" + UUID.randomUUID();
    }

    @AfterEach
    void closeRelay() throws IOException {
        proxy.close();
    }

    @Test
    void twentyThousandPredictionsAcrossADatabaseOutageAllReachTheTable() throws Exception {
        PredictionLogWriter writer = writer();
        AtomicBoolean outageSeen = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                load.add(clients.submit(() -> logPaced(writer, 5_000, Duration.ofSeconds(4))));
            }
            Thread.sleep(800);
            proxy.cut();
            Thread.sleep(2_500);
            outageSeen.set(writer.databaseAway());
            proxy.restore();
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(writer.awaitFlushed(60, TimeUnit.SECONDS)).as("flushed after the outage").isTrue();
        } finally {
            clients.shutdownNow();
            writer.close();
        }
        assertThat(outageSeen).as("the writer noticed the outage").isTrue();
        assertThat(rows()).isEqualTo(20_000);
    }

    @Test
    void stoppingMidLoadLosesNothingAndTheNextStartReplaysTheSpill() throws Exception {
        PredictionLogWriter first = writer();
        AtomicInteger produced = new AtomicInteger();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            load.add(clients.submit(() -> {
                while (producing.get()) {
                    first.log(record());
                    produced.incrementAndGet();
                }
            }));
        }
        Thread.sleep(300);
        proxy.cut();               // the database goes away as well, so the stop must spill
        first.close();             // a graceful stop while requests are still arriving
        Thread.sleep(50);
        producing.set(false);
        for (Future<?> f : load) {
            f.get(30, TimeUnit.SECONDS);
        }
        clients.shutdownNow();
        assertThat(first.spilledPending()).as("spilled at stop").isPositive();

        proxy.restore();
        replayByTheNextStart();
        assertThat(rows()).isEqualTo(produced.get());
    }

    @Test
    void replayingTheSameSpillTwiceWritesEachRecordOnce() throws Exception {
        PredictionLogWriter writer = writer();
        proxy.cut();
        List<PredictionRecord> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            records.add(record());
        }
        writer.logAll(records.subList(0, 250));     // a batch request's rows, handed over together
        records.subList(250, 500).forEach(writer::log);
        writer.close();
        // the same records arrive again, as after a crash between a commit and its acknowledgement
        Path copy = Files.createTempDirectory("keel-spill-copy");
        try (var files = Files.list(spillDir)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve("predictions.replay-0" + f.getFileName()));
            }
        }
        try (var files = Files.list(copy)) {
            for (Path f : files.toList()) {
                Files.move(f, spillDir.resolve(f.getFileName()));
            }
        }
        proxy.restore();
        replayByTheNextStart();
        assertThat(rows()).isEqualTo(500);
    }

    @Test
    void aDatabaseThatStopsAnsweringWithoutClosingTheConnectionCostsTheWriteTimeoutNotTheRecords() throws Exception {
        // no socket timeout of its own, as the deployed JDBC URL has none: only the write timeout bounds a
        // wait; and one connection kept open between batches, as the pool keeps them, so the COPY after
        // the silence begins goes out on a connection that was fine a moment ago
        PredictionLogWriter writer = writer(TimeUnit.SECONDS.toNanos(1), 0, Duration.ofSeconds(1));
        for (int i = 0; i < 300; i++) {
            writer.log(record());
        }
        assertThat(writer.awaitFlushed(30, TimeUnit.SECONDS)).isTrue();

        proxy.swallow();
        for (int i = 0; i < 300; i++) {
            writer.log(record());
        }
        await("the hung COPY given up after the write timeout").atMost(Duration.ofSeconds(15))
                .until(writer::databaseAway);
        for (int i = 0; i < 300; i++) {
            writer.log(record());
        }
        assertTimeoutPreemptively(Duration.ofSeconds(15), writer::close, "a stop is not held by the silent database");
        assertThat(writer.spilledPending()).as("spilled, not lost").isPositive();

        proxy.cut();
        proxy.restore();
        replayByTheNextStart();
        assertThat(rows()).isEqualTo(900);
    }

    @Test
    void anIdleWriterIsWokenByTheNextRecordAndByAClose() throws Exception {
        // it would sleep an hour unless woken: the record is written, and the close is prompt, only through a wake
        PredictionLogWriter writer = writer(TimeUnit.HOURS.toNanos(1));
        try {
            await().atMost(Duration.ofSeconds(10)).until(writer::idle);
            writer.log(record());
            assertThat(writer.awaitFlushed(30, TimeUnit.SECONDS)).as("written while the writer was asleep").isTrue();
            assertThat(rows()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(writer::idle);
        } finally {
            assertTimeoutPreemptively(Duration.ofSeconds(30), writer::close, "close wakes the sleeping writer");
        }
    }

    /** A writer started on the same spill directory replays it, and has written everything when closed. */
    private void replayByTheNextStart() {
        PredictionLogWriter restarted = writer();
        try {
            assertThat(restarted.awaitFlushed(60, TimeUnit.SECONDS)).as("the spill file replayed").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            restarted.close();
        }
    }

    private void logPaced(PredictionLogWriter writer, int count, Duration over) {
        long pauseNanos = over.toNanos() / count;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            writer.log(record());
            next += pauseNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private PredictionRecord record() {
        // project -1 is nobody's (the log has no foreign key): these rows must not show up in a
        // real project's listing, which other tests in this database assert on
        return new PredictionRecord(UUID.randomUUID(), Instant.now(), -1L, model, 1,
                Map.of("age", 54, "sex", 1), 1.0, 0.83, null, 140, "test-key");
    }

    private PredictionLogWriter writer() {
        return writer(TimeUnit.SECONDS.toNanos(1));
    }

    private PredictionLogWriter writer(long idleParkNanos) {
        return writer(idleParkNanos, 5, Duration.ofSeconds(20));
    }

    private PredictionLogWriter writer(long idleParkNanos, int socketTimeoutSeconds, Duration writeTimeout) {
        PGSimpleDataSource viaProxy = new PGSimpleDataSource();
        URI server = URI.create(jdbcUrl.substring("jdbc:".length()));
        viaProxy.setUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath());
        viaProxy.setUser(username);
        viaProxy.setPassword(password.orElse(""));
        viaProxy.setConnectTimeout(2);
        viaProxy.setLoginTimeout(2);
        viaProxy.setSocketTimeout(socketTimeoutSeconds);
        DataSource source = socketTimeoutSeconds == 0 ? poolOfOne(viaProxy) : viaProxy;
        return new PredictionLogWriter(source, json, new TestConfig(spillDir, writeTimeout), new SimpleMeterRegistry(),
                idleParkNanos);
    }

    /** One connection kept open and handed out again until it breaks, as a pool keeps its connections. */
    private static DataSource poolOfOne(DataSource physical) {
        AtomicReference<Connection> held = new AtomicReference<>();
        ClassLoader loader = PredictionLogWriterTest.class.getClassLoader();
        return (DataSource) Proxy.newProxyInstance(loader, new Class<?>[] {DataSource.class}, (self, method, args) -> {
            if (!method.getName().equals("getConnection")) {
                throw new UnsupportedOperationException(method.getName());
            }
            Connection c = held.get();
            if (c == null || c.isClosed()) {
                c = physical.getConnection();
                held.set(c);
            }
            Connection open = c;
            return Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class}, (conn, m, a) -> {
                if (m.getName().equals("close")) {
                    return null;   // back to the pool of one
                }
                try {
                    return m.invoke(open, a);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        });
    }

    private long rows() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM predictions WHERE model_name = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private record TestConfig(Path spillDir, Duration writeTimeout) implements PredictionLogConfig {
        @Override
        public int partitionsAheadDays() {
            return 7;
        }

        @Override
        public int retentionDays() {
            return 90;
        }

        @Override
        public int queueCapacity() {
            return 2_000;
        }

        @Override
        public int batchSize() {
            return 500;
        }

        @Override
        public Duration flushInterval() {
            return Duration.ofMillis(50);
        }

        @Override
        public Duration retryInterval() {
            return Duration.ofMillis(300);
        }
    }
}
