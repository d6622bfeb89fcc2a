package dev.keel.agent.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@code agent_actions} table. State changes are single conditional UPDATEs (… WHERE status =
 * the expected one RETURNING …), so two replicas or two people racing on one row cannot both win.
 */
@ApplicationScoped
public class ActionRepository {

    private static final String COLUMNS = "id, project_id, model_name, issue_kind, severity, action, risk, status, dry_run, "
            + "params, evidence, explanation, result, alert_id, proposed_by, decided_by, decision_comment, decided_at, "
            + "expires_at, started_at, finished_at, created_at";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public ActionRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** What a new row holds; times the status implies (started, finished) are set by {@link #insert}. */
    public record NewAction(long projectId, String modelName, String issueKind, String severity, String action,
                            String risk, String status, boolean dryRun, Object params, Object evidence,
                            String explanation, Object result, Long alertId, String proposedBy, Instant expiresAt) {
    }

    public ActionRecord insert(NewAction a) {
        String sql = """
                INSERT INTO agent_actions (project_id, model_name, issue_kind, severity, action, risk, status, dry_run,
                    params, evidence, explanation, result, alert_id, proposed_by, expires_at, started_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?, ?, ?,
                        CASE WHEN ? IN ('running') THEN now() END,
                        CASE WHEN ? IN ('skipped', 'succeeded', 'failed') THEN now() END)
                RETURNING\s""" + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, a.projectId());
            ps.setString(2, a.modelName());
            ps.setString(3, a.issueKind());
            ps.setString(4, a.severity());
            ps.setString(5, a.action());
            ps.setString(6, a.risk());
            ps.setString(7, a.status());
            ps.setBoolean(8, a.dryRun());
            ps.setString(9, Sql.text(json, a.params() == null ? java.util.Map.of() : a.params()));
            ps.setString(10, Sql.text(json, a.evidence() == null ? java.util.Map.of() : a.evidence()));
            ps.setString(11, a.explanation());
            ps.setString(12, Sql.text(json, a.result()));
            ps.setObject(13, a.alertId());
            ps.setString(14, a.proposedBy());
            ps.setTimestamp(15, a.expiresAt() == null ? null : Timestamp.from(a.expiresAt()));
            ps.setString(16, a.status());
            ps.setString(17, a.status());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return map(rs);
            }
        } catch (SQLException e) {
            throw new RepositoryException("recording an action", e);
        }
    }

    /**
     * Runs {@code step} under the advisory lock of (project, model, action) in a transaction of its own
     * ({@link Sql#serialised}): such steps, in this replica or another, run one after the other.
     */
    public <T> T serialised(long projectId, String modelName, String action, Supplier<T> step) {
        return Sql.serialised(dataSource,
                "keel.agent_actions/" + projectId + "/" + (modelName == null ? "" : modelName) + "/" + action, step);
    }

    public Optional<ActionRecord> find(long projectId, long id) {
        return one("SELECT " + COLUMNS + " FROM agent_actions WHERE id = ? AND project_id = ?", List.of(id, projectId));
    }

    /** pending_approval → approved or rejected, if still pending and not past its expiry; empty otherwise. */
    public Optional<ActionRecord> decide(long projectId, long id, String status, String actor, String comment) {
        List<Object> params = new ArrayList<>();
        params.add(status);
        params.add(actor);
        params.add(comment);
        params.add(status);
        params.add(id);
        params.add(projectId);
        return one("UPDATE agent_actions SET status = ?, decided_by = ?, decision_comment = ?, decided_at = now(), "
                + "finished_at = CASE WHEN ?::text = 'rejected' THEN now() END "
                + "WHERE id = ? AND project_id = ? AND status = 'pending_approval' AND expires_at > now() RETURNING " + COLUMNS,
                params);
    }

    /** approved → running; empty when another caller started it first. */
    public Optional<ActionRecord> start(long id) {
        return one("UPDATE agent_actions SET status = 'running', started_at = now() WHERE id = ? AND status = 'approved' "
                + "RETURNING " + COLUMNS, List.of(id));
    }

    /**
     * approved → running for one approval decided between {@code decidedAfter} and
     * {@code decidedBefore} and never started (the replica that decided stopped between the two
     * steps); one row a call, so a replica claims no more than it is about to run.
     */
    public Optional<ActionRecord> startStrandedApproval(Instant decidedAfter, Instant decidedBefore) {
        return one("UPDATE agent_actions SET status = 'running', started_at = now() WHERE id = "
                + "(SELECT id FROM agent_actions WHERE status = 'approved' AND decided_at >= ? AND decided_at < ? "
                + "ORDER BY decided_at LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'approved' RETURNING " + COLUMNS,
                List.of(Timestamp.from(decidedAfter), Timestamp.from(decidedBefore)));
    }

    /** approved → failed with {@code result} for approvals decided before {@code decidedBefore} and never started. */
    public List<ActionRecord> failStaleApprovals(Instant decidedBefore, Object result) {
        return many("UPDATE agent_actions SET status = 'failed', result = ?::jsonb, finished_at = now() "
                + "WHERE status = 'approved' AND decided_at < ? RETURNING " + COLUMNS,
                List.of(Sql.text(json, result), Timestamp.from(decidedBefore)));
    }

    /** Actions still running that started before {@code startedBefore}, oldest first. */
    public List<ActionRecord> runningSince(Instant startedBefore) {
        return many("SELECT " + COLUMNS + " FROM agent_actions WHERE status = 'running' AND started_at < ? "
                + "ORDER BY started_at, id", List.of(Timestamp.from(startedBefore)));
    }

    /** running → {@code status} with {@code result}; empty when the row is no longer running (another replica settled it). */
    public Optional<ActionRecord> settleRunning(long id, String status, Object result) {
        List<Object> params = new ArrayList<>();
        params.add(status);
        params.add(Sql.text(json, result));
        params.add(id);
        return one("UPDATE agent_actions SET status = ?, result = ?::jsonb, finished_at = now() "
                + "WHERE id = ? AND status = 'running' RETURNING " + COLUMNS, params);
    }

    public ActionRecord finish(long id, String status, Object result, Long alertId) {
        List<Object> params = new ArrayList<>();
        params.add(status);
        params.add(Sql.text(json, result));
        params.add(alertId);
        params.add(id);
        return one("UPDATE agent_actions SET status = ?, result = ?::jsonb, alert_id = coalesce(?, alert_id), "
                + "finished_at = now() WHERE id = ? RETURNING " + COLUMNS, params)
                .orElseThrow(() -> new IllegalStateException("agent action " + id + " vanished"));
    }

    /** Every pending proposal past its expiry becomes expired; answers those rows. */
    public List<ActionRecord> expireDue() {
        return many("UPDATE agent_actions SET status = 'expired', finished_at = now() "
                + "WHERE status = 'pending_approval' AND expires_at <= now() RETURNING " + COLUMNS, List.of());
    }

    /**
     * Whether the action ran or was proposed on the model since {@code since}. Skipped rows and
     * dry runs do not count: they did nothing.
     */
    public boolean doneSince(long projectId, String modelName, String action, Instant since) {
        String sql = """
                SELECT EXISTS (SELECT 1 FROM agent_actions
                               WHERE project_id = ? AND coalesce(model_name, '') = coalesce(?, '') AND action = ?
                                 AND created_at > ? AND status <> 'skipped' AND NOT dry_run)""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setString(2, modelName);
            ps.setString(3, action);
            ps.setTimestamp(4, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new RepositoryException("checking the cooldown of " + action, e);
        }
    }

    /**
     * The earliest real action of this kind on the model that is still under way: a proposal waiting
     * for a decision (not past its expiry), an approval not started yet, or a running action. Such an
     * action is the agent's answer to the issue already, however long ago it was proposed.
     */
    public Optional<ActionRecord> underWay(long projectId, String modelName, String action) {
        List<Object> params = new ArrayList<>();
        params.add(projectId);
        params.add(modelName);
        params.add(action);
        return one("SELECT " + COLUMNS + " FROM agent_actions WHERE project_id = ? AND model_name = ? AND action = ? "
                + "AND NOT dry_run AND (status IN ('approved', 'running') "
                + "OR (status = 'pending_approval' AND expires_at > now())) ORDER BY id LIMIT 1", params);
    }

    /** The severity of the latest send_alert (not a dry run) that linked to this alert, if any. */
    public Optional<String> lastLinkedAlertSeverity(long projectId, long alertId) {
        String sql = """
                SELECT severity FROM agent_actions
                WHERE project_id = ? AND alert_id = ? AND action = 'send_alert' AND NOT dry_run
                ORDER BY id DESC LIMIT 1""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setLong(2, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new RepositoryException("reading the actions linked to alert " + alertId, e);
        }
    }

    /**
     * Whether the agent already acted on an issue whose evidence names this value (a drift report's
     * id, a performance bucket's start), so the periodic check does not diagnose the same row twice.
     */
    public boolean actedOn(long projectId, String modelName, String issueKind, String evidenceField, String value) {
        String sql = "SELECT EXISTS (SELECT 1 FROM agent_actions WHERE project_id = ? AND model_name = ? "
                + "AND issue_kind = ? AND evidence ->> ? = ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setString(2, modelName);
            ps.setString(3, issueKind);
            ps.setString(4, evidenceField);
            ps.setString(5, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new RepositoryException("checking earlier actions on " + issueKind, e);
        }
    }

    /** A finished real execution: its status and when it ended. */
    public record Outcome(String status, Instant finishedAt) {
    }

    /**
     * The latest {@code limit} finished real executions in the project, newest first. send_alert
     * only writes the agent's own table and is left out: the breaker watches effects elsewhere.
     */
    public List<Outcome> latestOutcomes(long projectId, int limit) {
        String sql = """
                SELECT status, finished_at FROM agent_actions
                WHERE project_id = ? AND NOT dry_run AND action <> 'send_alert' AND status IN ('succeeded', 'failed')
                  AND finished_at IS NOT NULL
                ORDER BY finished_at DESC, id DESC LIMIT ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setInt(2, limit);
            List<Outcome> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Outcome(rs.getString(1), Sql.instant(rs, "finished_at")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepositoryException("reading the latest action outcomes", e);
        }
    }

    public Page<ActionRecord> list(long projectId, String status, String action, String issueKind, String risk,
                                   String modelName, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE project_id = ?");
        List<Object> params = new ArrayList<>(List.of(projectId));
        String[][] filters = {{"status", status}, {"action", action}, {"issue_kind", issueKind}, {"risk", risk},
                {"model_name", modelName}};
        for (String[] f : filters) {
            if (f[1] != null) {
                where.append(" AND ").append(f[0]).append(" = ?");
                params.add(f[1]);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            return Sql.page(c, COLUMNS, "agent_actions", where.toString(), params, "created_at DESC, id DESC", page, size,
                    this::map);
        } catch (SQLException e) {
            throw new RepositoryException("listing agent actions", e);
        }
    }

    private Optional<ActionRecord> one(String sql, List<Object> params) {
        List<ActionRecord> rows = many(sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<ActionRecord> many(String sql, List<Object> params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, params);
            List<ActionRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepositoryException("reading agent actions", e);
        }
    }

    private ActionRecord map(ResultSet rs) throws SQLException {
        return new ActionRecord(rs.getLong("id"), rs.getLong("project_id"), rs.getString("model_name"),
                rs.getString("issue_kind"), rs.getString("severity"), rs.getString("action"), rs.getString("risk"),
                rs.getString("status"), rs.getBoolean("dry_run"), Sql.json(json, rs, "params"),
                Sql.json(json, rs, "evidence"), rs.getString("explanation"), Sql.json(json, rs, "result"),
                Sql.nullableLong(rs, "alert_id"), rs.getString("proposed_by"), rs.getString("decided_by"),
                rs.getString("decision_comment"), Sql.instant(rs, "decided_at"), Sql.instant(rs, "expires_at"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"), Sql.instant(rs, "created_at"));
    }
}
