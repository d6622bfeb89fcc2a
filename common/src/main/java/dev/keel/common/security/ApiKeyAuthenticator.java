package dev.keel.common.security;

import dev.keel.common.db.DatabaseFailures;
import dev.keel.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Turns a presented API key into a {@link Caller}. Keys are looked up by their SHA-256 in
 * {@code api_keys} with plain JDBC, so every service can use this whatever persistence it uses
 * itself; verified keys are cached for {@code keel.auth.cache-ttl} so the hot path (inference)
 * rarely touches the database. The price is that a revocation made elsewhere takes effect within
 * that TTL; {@link #evict} makes it immediate where it happens.
 *
 * <p>A key in use never falls out of the cache: once three quarters of its TTL have passed, the
 * next request is still answered from the cache and starts one lookup in the background, which
 * renews the entry (or removes it, for a key revoked since). Without that, every request in flight
 * when the entry expired missed together, each waited for its own lookup, and a busy replica
 * stalled for a moment every TTL (up to a few hundred milliseconds with 32 concurrent clients and
 * PostgreSQL busy with the prediction log). Requests that miss together (a cold cache) share one
 * lookup.
 *
 * <p>A key the database refused (unknown, revoked or expired) is remembered as refused for the
 * same TTL, so a client that keeps sending one (a revoked key left in a deployment's secret, a
 * retry loop) costs one lookup per TTL instead of one per request. Keys are only ever created with
 * a fresh random secret and revoked, never renewed, so a refusal cannot go stale within the TTL.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class);
    private static final String LOOKUP = """
            SELECT k.id, k.name, k.role, k.expires_at, k.revoked_at, p.id, p.name
            FROM api_keys k JOIN projects p ON p.id = k.project_id
            WHERE k.key_hash = ?""";

    /**
     * A verified key, until when the cache may vouch for it, from when a request renews it in the
     * background, and when the database last confirmed it.
     */
    private record Verified(Caller caller, long keyId, Instant keyExpiresAt, Instant trustedUntil, Instant renewFrom,
                            Instant verifiedAt) {
    }

    /** A key the database refused, and until when that answer stands without asking again. */
    private record Refused(Authentication.Rejected rejection, Instant until) {
    }

    private final DataSource dataSource;
    private final LastUsedRecorder lastUsed;
    private final Duration cacheTtl;
    private final int cacheMaxEntries;
    private final Clock clock;
    private final Duration outageGrace;
    private final byte[] bootstrapHash;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();
    private final Map<String, Refused> refused = new ConcurrentHashMap<>();
    /** Lookups under way, by key hash: requests that miss together wait for the same one. */
    private final Map<String, CompletableFuture<Authentication>> lookups = new ConcurrentHashMap<>();
    /** Keys with a renewal queued or running, so the requests that find an entry due start one between them. */
    private final Set<String> renewing = ConcurrentHashMap.newKeySet();
    /** Background renewals: one thread at most, and none while there is nothing to renew. */
    private final ThreadPoolExecutor renewals = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "api-key-renewal");
                t.setDaemon(true);
                return t;
            });

    @Inject
    public ApiKeyAuthenticator(DataSource dataSource, LastUsedRecorder lastUsed, AuthConfig config) {
        this(dataSource, lastUsed, config.auth().cacheTtl(), config.auth().cacheMaxEntries(), bootstrapKey(config),
                Clock.systemUTC(), config.auth().outageGrace());
    }

    public ApiKeyAuthenticator(DataSource dataSource, LastUsedRecorder lastUsed, Duration cacheTtl, int cacheMaxEntries,
                               Optional<String> bootstrapKey, Clock clock) {
        this(dataSource, lastUsed, cacheTtl, cacheMaxEntries, bootstrapKey, clock, Duration.ofHours(1));
    }

    /**
     * @param outageGrace how long after the database last confirmed a key in use the cache keeps
     *                    vouching for it while renewals fail because the database cannot be reached
     */
    public ApiKeyAuthenticator(DataSource dataSource, LastUsedRecorder lastUsed, Duration cacheTtl, int cacheMaxEntries,
                               Optional<String> bootstrapKey, Clock clock, Duration outageGrace) {
        this.outageGrace = outageGrace;
        this.dataSource = dataSource;
        this.lastUsed = lastUsed;
        this.cacheTtl = cacheTtl;
        this.cacheMaxEntries = cacheMaxEntries;
        this.clock = clock;
        this.bootstrapHash = bootstrapKey.map(ApiKeySecret::hash).map(h -> h.getBytes(StandardCharsets.US_ASCII))
                .orElse(null);
        bootstrapKey.filter(k -> k.length() < 32).ifPresent(k ->
                LOG.warn("The bootstrap admin key (KEEL_ADMIN_KEY) is shorter than 32 characters; use a long random key"));
    }

    public boolean hasBootstrapKey() {
        return bootstrapHash != null;
    }

    public Authentication authenticate(String presented) {
        return withoutDatabase(presented).orElseGet(() -> sharedLookUp(ApiKeySecret.hash(presented.strip())));
    }

    /**
     * The outcome when it can be told without the database: no key, the bootstrap key, a string
     * that cannot be a key, or a key the cache vouches for. Empty when only a lookup can tell;
     * never blocks, so an event-loop thread may call it.
     */
    public Optional<Authentication> withoutDatabase(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.of(new Authentication.Rejected(
                    "Missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"));
        }
        String key = presented.strip();
        String hash = ApiKeySecret.hash(key);
        if (bootstrapHash != null
                && MessageDigest.isEqual(bootstrapHash, hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Authentication.Authenticated(Caller.bootstrapAdmin()));
        }
        if (!ApiKeySecret.looksLikeKey(key)) {
            return Optional.of(new Authentication.Rejected("Invalid API key"));
        }
        Instant now = clock.instant();
        Verified cached = cache.get(hash);
        if (cached != null && now.isBefore(cached.trustedUntil())) {
            if (cached.keyExpiresAt() != null && !now.isBefore(cached.keyExpiresAt())) {
                cache.remove(hash);
                return Optional.of(new Authentication.Rejected("API key has expired"));
            }
            lastUsed.record(cached.keyId());
            if (!now.isBefore(cached.renewFrom())) {
                renewInBackground(hash);
            }
            return Optional.of(new Authentication.Authenticated(cached.caller()));
        }
        Refused refusal = refused.get(hash);
        if (refusal != null && now.isBefore(refusal.until())) {
            return Optional.of(refusal.rejection());
        }
        return Optional.empty();
    }

    /** Forgets a key at once, e.g. when it is revoked here; other replicas forget it within the TTL. */
    public void evict(String keyHash) {
        cache.remove(keyHash);
        refused.remove(keyHash);
    }

    /** One lookup per key hash at a time; a thread arriving while one runs waits for its outcome. */
    private Authentication sharedLookUp(String hash) {
        CompletableFuture<Authentication> mine = new CompletableFuture<>();
        CompletableFuture<Authentication> running = lookups.putIfAbsent(hash, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Authentication outcome = lookUp(hash, clock.instant());
            mine.complete(outcome);
            return outcome;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            lookups.remove(hash, mine);
        }
    }

    /**
     * After a renewal failed (the database cannot be reached), a key in use stays trusted for another
     * TTL, and is tried again a quarter TTL later, up to {@code outageGrace} after the database last
     * confirmed it: requests that only need the cache (predictions) go on through an outage, and a
     * revocation made meanwhile takes effect once the database answers again. Past the grace the
     * entry expires as usual and the next request's own lookup answers 503.
     */
    private void keepThroughOutage(String hash) {
        Instant now = clock.instant();
        cache.computeIfPresent(hash, (h, v) -> {
            Instant graceEnd = v.verifiedAt().plus(outageGrace);
            if (!now.isBefore(graceEnd)) {
                return v;
            }
            Instant until = now.plus(cacheTtl).isBefore(graceEnd) ? now.plus(cacheTtl) : graceEnd;
            return new Verified(v.caller(), v.keyId(), v.keyExpiresAt(), until, now.plus(cacheTtl.dividedBy(4)),
                    v.verifiedAt());
        });
    }

    /** Starts a lookup that renews (or drops) the cached entry, unless one is under way for this key. */
    private void renewInBackground(String hash) {
        if (!renewing.add(hash)) {
            return;
        }
        renewals.execute(() -> {
            try {
                sharedLookUp(hash);
            } catch (RuntimeException e) {
                LOG.debugf("Renewing a cached API key failed: %s", e.getMessage());
                if (e instanceof ProblemException p && p.status() == 503) {   // the database cannot be reached
                    keepThroughOutage(hash);
                }
            } finally {
                renewing.remove(hash);
            }
        });
    }

    private Authentication lookUp(String hash, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOOKUP)) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return refuse(hash, "Invalid API key", now);
                }
                long keyId = rs.getLong(1);
                String keyName = rs.getString(2);
                String roleName = rs.getString(3);
                Instant expiresAt = instant(rs.getTimestamp(4));
                Instant revokedAt = instant(rs.getTimestamp(5));
                long projectId = rs.getLong(6);
                String projectName = rs.getString(7);
                if (revokedAt != null) {
                    return refuse(hash, "API key has been revoked", now);
                }
                if (expiresAt != null && !now.isBefore(expiresAt)) {
                    return refuse(hash, "API key has expired", now);
                }
                Role role = Role.fromWireName(roleName).orElseThrow(() ->
                        new IllegalStateException("api_keys row " + keyId + " has unknown role " + roleName));
                Caller caller = Caller.projectKey(projectId, projectName, keyName, role);
                remember(hash, new Verified(caller, keyId, expiresAt, now.plus(cacheTtl),
                        now.plus(cacheTtl.multipliedBy(3).dividedBy(4)), now));
                lastUsed.record(keyId);
                return new Authentication.Authenticated(caller);
            }
        } catch (SQLException e) {
            // one line, no stack: through an outage the background renewals of keys in use meet this often
            LOG.warnf("API key lookup failed: %s", e.getMessage());
            LOG.debug("API key lookup failure", e);
            throw ProblemException.serviceUnavailable("Cannot verify API keys right now; retry shortly",
                    DatabaseFailures.RETRY_AFTER_SECONDS);
        }
    }

    private void remember(String hash, Verified verified) {
        refused.remove(hash);
        if (cacheTtl.isZero() || cacheTtl.isNegative()) {
            return;
        }
        makeRoom(cache, Verified::trustedUntil);
        cache.put(hash, verified);
    }

    /** Forgets a verified key and remembers the refusal for the TTL. */
    private Authentication.Rejected refuse(String hash, String reason, Instant now) {
        cache.remove(hash);
        Authentication.Rejected rejection = new Authentication.Rejected(reason);
        if (!cacheTtl.isZero() && !cacheTtl.isNegative()) {
            makeRoom(refused, Refused::until);
            refused.put(hash, new Refused(rejection, now.plus(cacheTtl)));
        }
        return rejection;
    }

    /** Drops expired entries of a full map; if it is still full, all of them (simpler than tracking recency on the hot path). */
    private <V> void makeRoom(Map<String, V> entries, Function<V, Instant> until) {
        if (entries.size() >= cacheMaxEntries) {
            Instant now = clock.instant();
            entries.values().removeIf(v -> !now.isBefore(until.apply(v)));
            if (entries.size() >= cacheMaxEntries) {
                entries.clear();
            }
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static Optional<String> bootstrapKey(AuthConfig config) {
        return BootstrapKey.of(config);
    }
}
