package dev.keel.agent.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Leases in the shared {@code job_leases} table, so that with several replicas one runs a
 * scheduled job and the others skip it.
 */
@ApplicationScoped
public class JobLeaseRepository {

    private final DataSource dataSource;

    public JobLeaseRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the lease when it is free or expired (or already ours); false when another holder has it. */
    public boolean tryAcquire(String job, String holder, Duration length) {
        String sql = """
                INSERT INTO job_leases (job_name, holder, lease_until) VALUES (?, ?, ?)
                ON CONFLICT (job_name) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
                WHERE job_leases.lease_until < now() OR job_leases.holder = EXCLUDED.holder
                RETURNING job_name
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, job);
            ps.setString(2, holder);
            ps.setTimestamp(3, Timestamp.from(Instant.now().plus(length)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new RepositoryException("taking the lease of " + job, e);
        }
    }

    /** Ends the lease and records the run. */
    public void release(String job, String holder) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE job_leases SET lease_until = now(), last_run_at = now() WHERE job_name = ? AND holder = ?")) {
            ps.setString(1, job);
            ps.setString(2, holder);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RepositoryException("releasing the lease of " + job, e);
        }
    }
}
