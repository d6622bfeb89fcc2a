package dev.keel.common.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Leases in the shared {@code job_leases} table, so that with several replicas of a service one
 * runs a scheduled job and the others skip it. Plain JDBC outside any transaction: a claim is one
 * statement, decided by PostgreSQL's row lock and clock, and visible to the other replicas the
 * moment it returns.
 */
@ApplicationScoped
public class JobLeases {

    /*
     * A firing is claimed once: the insert creates the row for a job's first firing; for later ones
     * the conflicting row is locked and updated only if this firing is newer than the last one
     * claimed and no other holder's lease is still live. A concurrent claimer waits on the row lock,
     * then sees the winner's last_run_at and updates nothing.
     */
    private static final String CLAIM = """
            INSERT INTO job_leases (job_name, holder, lease_until, last_run_at)
            VALUES (?, ?, now() + make_interval(secs => ?), ?)
            ON CONFLICT (job_name) DO UPDATE
               SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, last_run_at = EXCLUDED.last_run_at
             WHERE (job_leases.last_run_at IS NULL OR job_leases.last_run_at < EXCLUDED.last_run_at)
               AND (job_leases.lease_until < now() OR job_leases.holder = EXCLUDED.holder)
            RETURNING holder""";

    /* The lease alone: free, expired or already this holder's; when the job last ran is left as it was. */
    private static final String ACQUIRE = """
            INSERT INTO job_leases (job_name, holder, lease_until, last_run_at)
            VALUES (?, ?, now() + make_interval(secs => ?), NULL)
            ON CONFLICT (job_name) DO UPDATE
               SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
             WHERE job_leases.lease_until < now() OR job_leases.holder = EXCLUDED.holder
            RETURNING holder""";

    /* The lease, as ACQUIRE, and only once {@code spacing} has passed since the job last started anywhere. */
    private static final String ACQUIRE_SPACED = """
            INSERT INTO job_leases (job_name, holder, lease_until, last_run_at)
            VALUES (?, ?, now() + make_interval(secs => ?), now())
            ON CONFLICT (job_name) DO UPDATE
               SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until, last_run_at = EXCLUDED.last_run_at
             WHERE (job_leases.lease_until < now() OR job_leases.holder = EXCLUDED.holder)
               AND (job_leases.last_run_at IS NULL OR job_leases.last_run_at <= now() - make_interval(secs => ?))
            RETURNING holder""";

    private final DataSource dataSource;

    public JobLeases(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the firing of {@code job} scheduled for {@code firing} for {@code holder}, holding the
     * lease for {@code duration}. True for exactly one claimer per job and firing.
     */
    public boolean claim(String job, Instant firing, String holder, Duration duration) {
        return decide(CLAIM, job, holder, duration, Timestamp.from(firing));
    }

    /**
     * Takes the lease of {@code job} for {@code duration} when it is free, expired or already
     * {@code holder}'s; false while another holder's lease runs. It does not count as a run: when the
     * job last ran ({@link #lastRun}, which {@link #acquireSpaced} spaces by) stays as it was, so a
     * run on demand under the same lease does not put off the scheduled one.
     */
    public boolean acquire(String job, String holder, Duration duration) {
        return decide(ACQUIRE, job, holder, duration, null);
    }

    /**
     * As {@link #acquire}, and only when the job last started {@code spacing} ago or more, on any
     * replica: for a job every replica runs on a timer of its own ({@code every = "5m"}), so that
     * it runs about once per interval in all, not once per interval on each replica.
     */
    public boolean acquireSpaced(String job, String holder, Duration duration, Duration spacing) {
        return decide(ACQUIRE_SPACED, job, holder, duration, seconds(spacing));
    }

    /** Lets the lease go, once the job has run or been started, so another replica need not wait it out. */
    public void release(String job, String holder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE job_leases SET lease_until = now() WHERE job_name = ? AND holder = ?")) {
            ps.setString(1, job);
            ps.setString(2, holder);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Releasing the lease of job " + job + " failed: " + e.getMessage(), e);
        }
    }

    /** When the job last fired, as claimed or acquired; empty before the first time. */
    public Optional<Instant> lastRun(String job) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT last_run_at FROM job_leases WHERE job_name = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getTimestamp(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(rs.getTimestamp(1).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the lease of job " + job + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs a lease statement: job, holder, lease seconds, then {@code fourth} when not null; true when it took the lease. */
    private boolean decide(String sql, String job, String holder, Duration duration, Object fourth) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, job);
            ps.setString(2, holder);
            ps.setDouble(3, seconds(duration));
            if (fourth != null) {
                ps.setObject(4, fourth);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Taking the lease of job " + job + " failed: " + e.getMessage(), e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
