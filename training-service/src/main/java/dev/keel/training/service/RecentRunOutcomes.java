package dev.keel.training.service;

import dev.keel.training.domain.RunStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * {@code keel_training_runs_recent{status}}: runs that finished in the last six hours, by status, as
 * {@code training_runs} records them. Unlike {@code keel_training_runs_finished_total}, which counts
 * in the process that ran each training, this sees every run: those of other replicas, and those
 * of the weekly retraining CronJob, whose pod nobody scrapes and which exits when done. The alert
 * on failed training runs reads it.
 */
@ApplicationScoped
public class RecentRunOutcomes {

    private static final Logger LOG = Logger.getLogger(RecentRunOutcomes.class);
    private static final String COUNT = """
            SELECT status, count(*) FROM training_runs
            WHERE finished_at > now() - interval '6 hours' AND status IN ('succeeded', 'rejected', 'failed', 'cancelled')
            GROUP BY status""";

    private final DataSource dataSource;
    private final Map<RunStatus, AtomicLong> counts = new EnumMap<>(RunStatus.class);

    public RecentRunOutcomes(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        for (RunStatus status : RunStatus.values()) {
            if (status.isFinished()) {
                AtomicLong count = new AtomicLong();
                counts.put(status, count);
                Gauge.builder("keel.training.runs.recent", count, AtomicLong::get).tags("status", status.wireName())
                        .description("Training runs finished in the last 6 hours, by status, on any replica or the "
                                + "retraining CronJob (from training_runs)").register(registry);
            }
        }
    }

    /** Reads the counts again; the gauges keep the last ones while the database is away. */
    @Scheduled(every = "${keel.training.recent-runs-refresh:60s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "keel-training-recent-runs")
    public void refresh() {
        Map<RunStatus, Long> found = new EnumMap<>(RunStatus.class);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COUNT);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.put(RunStatus.fromWireName(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            LOG.debugf("Counting recent training runs failed (kept the last counts): %s", e.getMessage());
            return;
        }
        counts.forEach((status, count) -> count.set(found.getOrDefault(status, 0L)));
    }
}
