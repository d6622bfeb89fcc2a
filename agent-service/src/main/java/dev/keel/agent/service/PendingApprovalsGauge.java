package dev.keel.agent.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Proposals waiting for a human, read from {@code agent_actions} when Prometheus scrapes:
 * {@code keel_agent_pending_approvals} (how many) and {@code keel_agent_pending_approvals_oldest_seconds}
 * (how long the oldest has waited, 0 when none). Read from the table rather than counted in memory,
 * so a restarted agent still knows, and every replica reports the same numbers (alert on max, not sum).
 * A proposal past its expiry that the expiry job has not marked yet no longer counts. One query
 * answers both gauges; its result is reused for a second so one scrape runs it once.
 */
@Singleton
public class PendingApprovalsGauge implements MeterBinder {

    private static final Logger LOG = Logger.getLogger(PendingApprovalsGauge.class);
    private static final long REUSE_NANOS = 1_000_000_000L;

    /** What the table held at {@code readAt}. */
    record Pending(double count, double oldestSeconds, long readAt) {
    }

    private final DataSource dataSource;
    private volatile Pending last;
    private volatile boolean failing;

    public PendingApprovalsGauge(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("keel.agent.pending.approvals", this, g -> g.pending().count())
                .description("Agent proposals waiting for approval (status pending_approval, not expired)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("keel.agent.pending.approvals.oldest.seconds", this, g -> g.pending().oldestSeconds())
                .description("Seconds the oldest proposal still waiting for approval has waited; 0 when none waits")
                .strongReference(true)
                .register(registry);
    }

    /** The table's state, read at most once a second; NaN for both while the database cannot be read. */
    Pending pending() {
        Pending p = last;
        long now = System.nanoTime();
        if (p != null && now - p.readAt() < REUSE_NANOS) {
            return p;
        }
        p = read(now);
        last = p;
        return p;
    }

    private Pending read(long now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
                FROM agent_actions
                WHERE status = 'pending_approval' AND (expires_at IS NULL OR expires_at > now())""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (failing) {
                failing = false;
                LOG.info("Pending approvals readable again");
            }
            return new Pending(rs.getLong(1), rs.getDouble(2), now);
        } catch (SQLException e) {
            if (!failing) {
                failing = true;
                LOG.warnf("Cannot count pending approvals for the metrics (reported as NaN until the database answers): %s",
                        e.getMessage());
            }
            return new Pending(Double.NaN, Double.NaN, now);
        }
    }
}
