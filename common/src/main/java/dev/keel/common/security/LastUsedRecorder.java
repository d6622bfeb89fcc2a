package dev.keel.common.security;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Remembers when each key was last used and writes it back in one batched update every few
 * seconds, so authenticating a request never waits on a write (inference authenticates every
 * prediction). A crash loses at most one interval of last-used times, which only feed listings.
 */
@ApplicationScoped
public class LastUsedRecorder {

    private static final Logger LOG = Logger.getLogger(LastUsedRecorder.class);
    private static final String UPDATE = """
            UPDATE api_keys k SET last_used_at = u.used_at
            FROM unnest(?::bigint[], ?::timestamptz[]) AS u(id, used_at)
            WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.used_at)""";

    private final DataSource dataSource;
    private final Duration interval;
    private final Clock clock;
    private final Map<Long, Instant> pending = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService flusher;

    @Inject
    public LastUsedRecorder(DataSource dataSource, AuthConfig config) {
        this(dataSource, config.auth().lastUsedFlushInterval(), Clock.systemUTC());
    }

    public LastUsedRecorder(DataSource dataSource, Duration interval, Clock clock) {
        this.dataSource = dataSource;
        this.interval = interval;
        this.clock = clock;
    }

    /** Notes a use of the key; cheap and never blocking on the database. */
    public void record(long keyId) {
        pending.put(keyId, clock.instant());
        if (flusher == null) {
            startFlusher();
        }
    }

    /** Writes every pending last-used time now; returns how many keys were written. */
    public int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Long> ids = new ArrayList<>();
        List<Timestamp> times = new ArrayList<>();
        for (Long id : List.copyOf(pending.keySet())) {
            Instant used = pending.remove(id);
            if (used != null) {
                ids.add(id);
                times.add(Timestamp.from(used));
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            Array idArray = c.createArrayOf("bigint", ids.toArray());
            Array timeArray = c.createArrayOf("timestamptz", times.toArray());
            ps.setArray(1, idArray);
            ps.setArray(2, timeArray);
            ps.executeUpdate();
            return ids.size();
        } catch (SQLException e) {
            LOG.warnf(e, "Could not record last use of %d API keys; will retry", ids.size());
            for (int i = 0; i < ids.size(); i++) {
                pending.putIfAbsent(ids.get(i), times.get(i).toInstant());
            }
            return 0;
        }
    }

    private synchronized void startFlusher() {
        if (flusher != null) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-api-key-last-used");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
        flusher = executor;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Recording the last use of API keys failed", e);
        }
    }

    @PreDestroy
    void shutdown() {
        ScheduledExecutorService executor = flusher;
        if (executor != null) {
            executor.shutdownNow();
        }
        flush();
    }
}
