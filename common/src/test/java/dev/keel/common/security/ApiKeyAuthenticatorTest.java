package dev.keel.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.testing.TestDatabase;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** API keys checked against a real, migrated PostgreSQL, the way every service checks them. */
class ApiKeyAuthenticatorTest {

    private static final String BOOTSTRAP = "a-bootstrap-key-that-is-long-enough-0123";

    private static TestDatabase db;
    private static DataSource dataSource;
    private static long projectId;

    private MutableClock clock;
    private LastUsedRecorder lastUsed;
    private ApiKeyAuthenticator authenticator;

    @BeforeAll
    static void migrate() throws SQLException {
        db = TestDatabase.create();
        Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password())
                .locations("classpath:db/migration").load().migrate();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(db.jdbcUrl());
        pg.setUser(db.username());
        pg.setPassword(db.password());
        dataSource = pg;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("INSERT INTO projects (name) VALUES ('churn') RETURNING id")) {
            rs.next();
            projectId = rs.getLong(1);
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void newAuthenticator() {
        clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        lastUsed = new LastUsedRecorder(dataSource, Duration.ofHours(1), clock);
        authenticator = new ApiKeyAuthenticator(dataSource, lastUsed, Duration.ofSeconds(30), 100,
                Optional.of(BOOTSTRAP), clock);
    }

    @Test
    void aValidKeyIsItsProjectsCallerWithItsRole() throws SQLException {
        ApiKeySecret key = insertKey("ci", "write", null);
        Authentication result = authenticator.authenticate(key.secret());
        assertThat(result).isEqualTo(new Authentication.Authenticated(Caller.projectKey(projectId, "churn", "ci", Role.WRITE)));
    }

    @Test
    void theBootstrapKeyIsTheGlobalAdmin() {
        assertThat(authenticator.authenticate(BOOTSTRAP))
                .isEqualTo(new Authentication.Authenticated(Caller.bootstrapAdmin()));
        assertThat(Caller.bootstrapAdmin().keyName()).isEqualTo("bootstrap-admin");
        assertThat(Caller.bootstrapAdmin().mayAccess("any-project")).isTrue();
    }

    @Test
    void missingUnknownAndMalformedKeysAreRejected() {
        assertThat(authenticator.authenticate(null)).isInstanceOf(Authentication.Rejected.class);
        assertThat(authenticator.authenticate(" ")).isInstanceOf(Authentication.Rejected.class);
        assertThat(authenticator.authenticate(ApiKeySecret.generate().secret()))
                .isEqualTo(new Authentication.Rejected("Invalid API key"));
        assertThat(authenticator.authenticate("Basic dXNlcjpwYXNz")).isEqualTo(new Authentication.Rejected("Invalid API key"));
    }

    @Test
    void revokedAndExpiredKeysAreRejectedWithTheReason() throws SQLException {
        ApiKeySecret revoked = insertKey("old", "read", null);
        revoke(revoked);
        ApiKeySecret expired = insertKey("temp", "read", clock.instant().minusSeconds(1));
        assertThat(authenticator.authenticate(revoked.secret())).isEqualTo(new Authentication.Rejected("API key has been revoked"));
        assertThat(authenticator.authenticate(expired.secret())).isEqualTo(new Authentication.Rejected("API key has expired"));
    }

    @Test
    void aVerifiedKeyIsTrustedForTheCacheTtlThenCheckedAgain() throws SQLException {
        ApiKeySecret key = insertKey("cached", "read", null);
        assertThat(authenticator.authenticate(key.secret())).isInstanceOf(Authentication.Authenticated.class);
        revoke(key);

        clock.advance(Duration.ofSeconds(29));
        assertThat(authenticator.authenticate(key.secret())).as("within the TTL").isInstanceOf(Authentication.Authenticated.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(authenticator.authenticate(key.secret())).isEqualTo(new Authentication.Rejected("API key has been revoked"));
    }

    @Test
    void aKeyInUseIsRenewedInTheBackgroundBeforeItsEntryExpires() throws Exception {
        ApiKeySecret key = insertKey("renewed", "read", null);
        assertThat(authenticator.authenticate(key.secret())).isInstanceOf(Authentication.Authenticated.class);

        clock.advance(Duration.ofSeconds(23));   // past three quarters of the 30 s TTL
        assertThat(authenticator.withoutDatabase(key.secret())).as("still answered from the cache")
                .containsInstanceOf(Authentication.Authenticated.class);
        clock.advance(Duration.ofSeconds(17));   // past the first entry's expiry
        awaitTrue(() -> authenticator.withoutDatabase(key.secret()).isPresent(),
                "the renewal put a fresh entry in the cache, so no request has to wait for a lookup");
    }

    @Test
    void aKeyInUseKeepsPassingWhileTheDatabaseIsAwayForTheGraceThenNeedsIt() throws Exception {
        ApiKeySecret key = insertKey("through-outage", "read", null);
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && away.get()) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    return method.invoke(dataSource, args);
                });
        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(flaky, lastUsed, Duration.ofSeconds(30), 100, Optional.empty(),
                clock, Duration.ofMinutes(2));
        assertThat(auth.authenticate(key.secret())).isInstanceOf(Authentication.Authenticated.class);
        away.set(true);

        // request after request, each renewal fails, and the key keeps passing past its 30 s TTL:
        // at 23 s (the first renewal is due), then every 10 s up to 113 s, inside the 2 minutes' grace
        clock.advance(Duration.ofSeconds(13));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(10));
            assertThat(auth.withoutDatabase(key.secret())).as("at %d s", 23 + i * 10)
                    .containsInstanceOf(Authentication.Authenticated.class);
            Thread.sleep(200);   // the background renewal fails at once and extends the entry
        }
        // past the grace the cache stops vouching for it: the request's own lookup answers 503
        clock.advance(Duration.ofSeconds(40));
        assertThat(auth.withoutDatabase(key.secret())).isEmpty();
        assertThatThrownBy(() -> auth.authenticate(key.secret())).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(503));
        // the database back, the key passes again
        away.set(false);
        assertThat(auth.authenticate(key.secret())).isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void theBackgroundRenewalDropsAKeyRevokedElsewhere() throws Exception {
        ApiKeySecret key = insertKey("revoked-elsewhere", "read", null);
        assertThat(authenticator.authenticate(key.secret())).isInstanceOf(Authentication.Authenticated.class);
        revoke(key);

        clock.advance(Duration.ofSeconds(23));
        assertThat(authenticator.withoutDatabase(key.secret())).containsInstanceOf(Authentication.Authenticated.class);
        Optional<Authentication> refusal = Optional.of(new Authentication.Rejected("API key has been revoked"));
        awaitTrue(() -> authenticator.withoutDatabase(key.secret()).equals(refusal),
                "the renewal replaced the revoked key's entry with its refusal");
        assertThat(authenticator.authenticate(key.secret())).isEqualTo(new Authentication.Rejected("API key has been revoked"));
    }

    @Test
    void aRefusedKeySentAgainIsRefusedFromMemoryUntilTheTtlPasses() throws Exception {
        ApiKeySecret revoked = insertKey("left-in-a-secret", "read", null);
        revoke(revoked);
        String unknown = ApiKeySecret.generate().secret();
        AtomicInteger connections = new AtomicInteger();
        DataSource counted = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    return method.invoke(dataSource, args);
                });
        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(counted, lastUsed, Duration.ofSeconds(30), 100, Optional.empty(), clock);

        for (int i = 0; i < 50; i++) {
            assertThat(auth.authenticate(revoked.secret())).isEqualTo(new Authentication.Rejected("API key has been revoked"));
            assertThat(auth.authenticate(unknown)).isEqualTo(new Authentication.Rejected("Invalid API key"));
        }
        assertThat(connections).as("lookups for 50 requests with each of two refused keys").hasValue(2);

        clock.advance(Duration.ofSeconds(31));
        assertThat(auth.authenticate(unknown)).isEqualTo(new Authentication.Rejected("Invalid API key"));
        assertThat(connections).as("asked again once the TTL passed").hasValue(3);
        // a key the database accepts leaves no refusal behind
        ApiKeySecret valid = insertKey("fine", "read", null);
        assertThat(auth.authenticate(valid.secret())).isInstanceOf(Authentication.Authenticated.class);
        assertThat(auth.withoutDatabase(valid.secret())).containsInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void requestsMissingTogetherShareOneLookup() throws Exception {
        ApiKeySecret key = insertKey("herd", "read", null);
        AtomicInteger connections = new AtomicInteger();
        DataSource slow = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                        Thread.sleep(200);   // a busy database: every request arrives while the first lookup runs
                    }
                    return method.invoke(dataSource, args);
                });
        ApiKeyAuthenticator cold = new ApiKeyAuthenticator(slow, lastUsed, Duration.ofSeconds(30), 100, Optional.empty(), clock);

        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Authentication>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return cold.authenticate(key.secret());
                }));
            }
            start.countDown();
            for (Future<Authentication> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(Authentication.Authenticated.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(connections).as("database lookups for %d requests that missed together", threads).hasValue(1);
    }

    @Test
    void evictingAKeyMakesItsRevocationImmediate() throws SQLException {
        ApiKeySecret key = insertKey("evicted", "admin", null);
        assertThat(authenticator.authenticate(key.secret())).isInstanceOf(Authentication.Authenticated.class);
        revoke(key);
        authenticator.evict(key.hash());
        assertThat(authenticator.authenticate(key.secret())).isEqualTo(new Authentication.Rejected("API key has been revoked"));
    }

    @Test
    void aCachedKeyStillExpiresOnTime() throws SQLException {
        ApiKeySecret key = insertKey("soon", "read", clock.instant().plusSeconds(10));
        assertThat(authenticator.authenticate(key.secret())).isInstanceOf(Authentication.Authenticated.class);
        clock.advance(Duration.ofSeconds(10));
        assertThat(authenticator.authenticate(key.secret())).isEqualTo(new Authentication.Rejected("API key has expired"));
    }

    @Test
    void lastUseIsWrittenInOneBatchNotPerRequest() throws SQLException {
        ApiKeySecret a = insertKey("batch-a", "read", null);
        ApiKeySecret b = insertKey("batch-b", "read", null);
        authenticator.authenticate(a.secret());
        authenticator.authenticate(b.secret());
        authenticator.authenticate(a.secret());
        assertThat(lastUsedAt(a)).as("nothing written on the request path").isNull();

        assertThat(lastUsed.flush()).isEqualTo(2);
        assertThat(lastUsedAt(a)).isEqualTo(clock.instant());
        assertThat(lastUsedAt(b)).isEqualTo(clock.instant());
        assertThat(lastUsed.flush()).isZero();
    }

    private ApiKeySecret insertKey(String name, String role, Instant expiresAt) throws SQLException {
        ApiKeySecret key = ApiKeySecret.generate();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_keys (project_id, name, role, key_prefix, key_hash, created_by, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, 'test', ?)")) {
            ps.setLong(1, projectId);
            ps.setString(2, name);
            ps.setString(3, role);
            ps.setString(4, key.prefix());
            ps.setString(5, key.hash());
            ps.setTimestamp(6, expiresAt == null ? null : Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
        return key;
    }

    private Instant lastUsedAt(ApiKeySecret key) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT last_used_at FROM api_keys WHERE key_hash = ?")) {
            ps.setString(1, key.hash());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within 5 s: " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Revokes the key in the database only, as another replica would: this authenticator is not told. */
    private static void revoke(ApiKeySecret key) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = now() WHERE key_hash = ?")) {
            ps.setString(1, key.hash());
            ps.executeUpdate();
        }
    }

    /** A clock the test moves by hand, so TTLs and expiries are checked without sleeping. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
