package dev.keel.inference.log;

import dev.keel.inference.config.PredictionLogConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Keeps the partitioned prediction log healthy: daily partitions made ahead so inserts never land
 * in the default partition, and partitions past the retention dropped (a DROP TABLE, not a slow
 * DELETE). The SQL functions take an advisory lock, so every replica may run this.
 */
@ApplicationScoped
public class PredictionPartitionMaintainer {

    private static final Logger LOG = Logger.getLogger(PredictionPartitionMaintainer.class);

    private final DataSource dataSource;
    private final PredictionLogConfig config;

    public PredictionPartitionMaintainer(DataSource dataSource, PredictionLogConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            maintain();
        } catch (SQLException e) {
            // the scheduled run retries; a service must still start while the database is away
            LOG.warnf("Prediction partition maintenance at start failed: %s", e.getMessage());
        }
    }

    @Scheduled(identity = "prediction-partitions", cron = "${keel.predictions.partition-cron:0 17 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws SQLException {
        maintain();
    }

    /** Makes the partitions ahead and drops the expired ones; answers {created, dropped}. */
    public int[] maintain() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int created = call(c, "SELECT keel_create_prediction_partitions(?)", config.partitionsAheadDays());
            int dropped = call(c, "SELECT keel_drop_prediction_partitions(?)", config.retentionDays());
            if (created > 0 || dropped > 0) {
                LOG.infof("Prediction log partitions: %d created (%d days ahead), %d dropped (retention %d days)",
                        created, config.partitionsAheadDays(), dropped, config.retentionDays());
            }
            return new int[] {created, dropped};
        }
    }

    private static int call(Connection c, String sql, int argument) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, argument);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
