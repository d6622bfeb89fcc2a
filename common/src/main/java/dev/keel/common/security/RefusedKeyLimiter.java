package dev.keel.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a client that sends key after unknown key from costing a database lookup each. A key the
 * cache does not know needs one, and made-up keys are never cached twice alike; so each client
 * address has a budget of refused keys ({@code keel.auth.refused-keys-per-minute}, refilled
 * evenly), and an address that spent it gets 429 for keys the cache does not know, before any
 * lookup, until the budget refills. Keys the cache knows pass as ever, from any address; a
 * client's own key is refused once, not once per request, since refusals are cached too.
 */
@ApplicationScoped
public class RefusedKeyLimiter {

    /** More addresses than this and the table is started afresh (a flood from many addresses). */
    static final int MAX_ADDRESSES = 10_000;

    private final double capacity;
    private final double perNano;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RefusedKeyLimiter(AuthConfig config) {
        this(config.auth().refusedKeysPerMinute());
    }

    RefusedKeyLimiter(int perMinute) {
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
    }

    /** Whether {@code address} may have a key looked up; 0 when it may, else seconds until it may. */
    public long secondsUntilLookUp(String address, long nowNanos) {
        Bucket b = buckets.get(address);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            b.refill(nowNanos, capacity, perNano);
            return b.tokens >= 1 ? 0 : (long) Math.ceil((1 - b.tokens) / perNano / 1e9);
        }
    }

    /** Counts a key the database refused for {@code address}. */
    public void refused(String address, long nowNanos) {
        if (buckets.size() >= MAX_ADDRESSES && !buckets.containsKey(address)) {
            buckets.clear();
        }
        Bucket b = buckets.computeIfAbsent(address, a -> new Bucket(capacity, nowNanos));
        synchronized (b) {
            b.refill(nowNanos, capacity, perNano);
            b.tokens = Math.max(0, b.tokens - 1);
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long nowNanos, double capacity, double perNano) {
            tokens = Math.min(capacity, tokens + (nowNanos - at) * perNano);
            at = nowNanos;
        }
    }
}
