package dev.keel.inference.log;

import dev.keel.common.db.DatabaseFailures;
import dev.keel.common.model.InvalidFeatureException;
import dev.keel.inference.config.PredictionLogConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Counts the rows refused as invalid (422), per model version, hour, feature and reason, and adds
 * them to {@code prediction_rejections} every few seconds: refused rows never reach the prediction
 * log, and the agent's data-quality check reads them here. Counting costs the request path one map
 * update; a database that is away keeps the counts for the next flush, and a graceful stop flushes.
 * A feature name the model does not have comes from the caller, so past {@link #MAX_KEYS} distinct
 * keys in one flush period further unknown names are counted under {@code (other)}.
 */
@ApplicationScoped
public class RejectedRows {

    private static final Logger LOG = Logger.getLogger(RejectedRows.class);
    static final int MAX_KEYS = 10_000;
    static final String OTHER = "(other)";
    private static final String ADD = """
            INSERT INTO prediction_rejections (project_id, model_name, model_version, hour, feature, reason, rows)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (project_id, model_name, model_version, hour, feature, reason)
            DO UPDATE SET rows = prediction_rejections.rows + EXCLUDED.rows""";

    record Key(long projectId, String model, int version, Instant hour, String feature, String reason) {
    }

    private final DataSource dataSource;
    private final PredictionLogConfig config;
    private final Map<Key, Long> counts = new ConcurrentHashMap<>();

    public RejectedRows(DataSource dataSource, PredictionLogConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Counts {@code rows} refused rows of a model version because of one feature. */
    public void count(long projectId, String model, int version, InvalidFeatureException refusal, int rows) {
        String reason = refusal.reason().name().toLowerCase(Locale.ROOT);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Key key = new Key(projectId, model, version, hour, featureName(refusal.field()), reason);
        if (refusal.reason() == InvalidFeatureException.Reason.UNKNOWN && counts.size() >= MAX_KEYS && !counts.containsKey(key)) {
            key = new Key(projectId, model, version, hour, OTHER, reason);
        }
        counts.merge(key, (long) rows, Long::sum);
    }

    /**
     * The feature as stored: a name the model does not know is the caller's own text, so control
     * characters (a NUL, which PostgreSQL cannot store) are dropped and the length bounded.
     */
    static String featureName(String field) {
        if (field == null) {
            return OTHER;
        }
        String clean = field.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (clean.length() > 200) {
            clean = clean.substring(0, 200);
        }
        return clean.isEmpty() ? OTHER : clean;
    }

    @Scheduled(every = "${keel.predictions.rejections-flush-interval:10s}", identity = "prediction-rejections",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        flush();
    }

    /** Adds the counts gathered so far to the table; on failure they stay for the next flush. Answers the rows added. */
    public synchronized long flush() {
        List<Map.Entry<Key, Long>> taken = new ArrayList<>();
        for (Key key : List.copyOf(counts.keySet())) {
            Long n = counts.remove(key);   // atomic: a count added after this lands in a new entry
            if (n != null && n > 0) {
                taken.add(Map.entry(key, n));
            }
        }
        if (taken.isEmpty()) {
            return 0;
        }
        // what is not written yet: what an outage leaves is kept for the next flush, nothing twice
        List<Map.Entry<Key, Long>> pending = new ArrayList<>(taken);
        long written = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ADD)) {
            boolean autoCommit = c.getAutoCommit();
            try {
                // one transaction: pgjdbc syncs (and, in autocommit, commits) a long batch in parts
                c.setAutoCommit(false);
                for (Map.Entry<Key, Long> e : pending) {
                    bind(ps, e);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
                written = pending.stream().mapToLong(Map.Entry::getValue).sum();
                pending.clear();
            } catch (SQLException e) {
                c.rollback();
                if (!DatabaseFailures.rowRefused(e)) {
                    throw e;
                }
                // one row the database refuses (its project deleted meanwhile) must not hold back the rest
                ps.clearBatch();
                c.setAutoCommit(true);
                for (Iterator<Map.Entry<Key, Long>> it = pending.iterator(); it.hasNext(); ) {
                    Map.Entry<Key, Long> entry = it.next();
                    try {
                        bind(ps, entry);
                        ps.executeUpdate();
                        written += entry.getValue();
                    } catch (SQLException refused) {
                        if (!DatabaseFailures.rowRefused(refused)) {
                            throw refused;
                        }
                        LOG.infof("A count of refused rows was dropped: the database refuses it (%s)", refused.getMessage());
                    }
                    it.remove();
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
            return written;
        } catch (SQLException e) {
            // the database is away: what was not written is kept for the next flush, for a day at most
            Instant dayAgo = Instant.now().minus(1, ChronoUnit.DAYS);
            pending.stream().filter(p -> p.getKey().hour().isAfter(dayAgo))
                    .forEach(p -> counts.merge(p.getKey(), p.getValue(), Long::sum));
            LOG.warnf("Counts of refused rows could not be written (%s); kept for the next try", e.getMessage());
            return written;
        }
    }

    private static void bind(PreparedStatement ps, Map.Entry<Key, Long> e) throws SQLException {
        Key k = e.getKey();
        ps.setLong(1, k.projectId());
        ps.setString(2, k.model());
        ps.setInt(3, k.version());
        ps.setTimestamp(4, Timestamp.from(k.hour()));
        ps.setString(5, k.feature());
        ps.setString(6, k.reason());
        ps.setLong(7, e.getValue());
    }

    /** Drops counts older than the prediction log's retention, with the log's own partitions. */
    @Scheduled(identity = "prediction-rejections-retention", cron = "${keel.predictions.partition-cron:0 17 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM prediction_rejections WHERE hour < now() - make_interval(days => ?)")) {
            ps.setInt(1, config.retentionDays());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("Old counts of refused rows could not be dropped: %s", e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        flush();
    }
}
