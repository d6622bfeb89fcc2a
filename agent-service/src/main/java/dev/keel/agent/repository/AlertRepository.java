package dev.keel.agent.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@code alerts} table, which this service owns (drift-service also raises rows in it). One
 * open alert per project, model and kind: a repeat bumps occurrences and last_seen_at.
 */
@ApplicationScoped
public class AlertRepository {

    private static final String COLUMNS = "id, project_id, model_name, kind, severity, status, title, message, evidence, "
            + "source, occurrences, created_at, last_seen_at, acknowledged_by, acknowledged_at, acknowledged_note, resolved_by, "
            + "resolved_at, resolved_note";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public AlertRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** What the agent writes as the source of the alerts it raises itself (send_alert, the circuit breaker). */
    public static final String AGENT_SOURCE = "agent-service";

    /**
     * The open alert after a raise, the severity it had before (null when it is new), and whether the
     * agent had seen it before this raise (see {@link #seenByAgent}).
     */
    public record Raised(Alert alert, String previousSeverity, boolean seenBefore) {
        public boolean isNew() {
            return alert.occurrences() == 1 && previousSeverity == null;
        }
    }

    /**
     * Runs {@code step} under the advisory lock of the alerts of (project, model, kind) in a transaction
     * of its own ({@link Sql#serialised}): raises of them and links to them, in this replica or another,
     * run one after the other, and each sees what the one before committed.
     */
    public <T> T serialised(long projectId, String modelName, String kind, Supplier<T> step) {
        return Sql.serialised(dataSource,
                "keel.alerts/" + projectId + "/" + (modelName == null ? "" : modelName) + "/" + kind, step);
    }

    /**
     * Raises or bumps the open alert, answering the severity it had before and whether the agent had
     * seen it. Raises of one project, model and kind run one after another ({@link #serialised}): the
     * statement's snapshot is taken once the raise before it has committed, so of bumps arriving
     * together only the first reads the old severity, and an alert that got worse is announced once,
     * not by each. {@code byAction}, the send_alert row raising it (null for none), is made to refer
     * to the alert in the same step, so the next raise or link sees the alert as seen.
     */
    public Raised raise(long projectId, String modelName, String kind, String severity, String title, String message,
                        Object evidence, String source, Long byAction) {
        return serialised(projectId, modelName, kind, () -> {
            Raised raised = raiseOrBump(projectId, modelName, kind, severity, title, message, evidence, source);
            if (byAction != null) {
                refer(byAction, raised.alert().id());
            }
            return raised;
        });
    }

    /**
     * Whether the agent has seen the alert: it raised it itself (and announced it then), or one of its
     * actions, not a dry run, refers to it (a send_alert that raised, bumped or linked it, or a later
     * step of that plan). An alert drift-service raised is unseen until the agent first hears of it,
     * by drift-service's own signal or by another signal bumping it, whichever comes first.
     */
    public boolean seenByAgent(long alertId) {
        String sql = "SELECT " + SEEN.formatted("a") + " FROM alerts a WHERE a.id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new RepositoryException("reading whether the agent saw alert " + alertId, e);
        }
    }

    /** {@link #seenByAgent} as an SQL condition on the alerts row of alias %s. */
    private static final String SEEN = "(%1$s.source = '" + AGENT_SOURCE + "' OR EXISTS (SELECT 1 FROM agent_actions x "
            + "WHERE x.project_id = %1$s.project_id AND x.alert_id = %1$s.id AND NOT x.dry_run))";

    private void refer(long actionId, long alertId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE agent_actions SET alert_id = ? WHERE id = ?")) {
            ps.setLong(1, alertId);
            ps.setLong(2, actionId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RepositoryException("linking action " + actionId + " to alert " + alertId, e);
        }
    }

    private Raised raiseOrBump(long projectId, String modelName, String kind, String severity, String title, String message,
                               Object evidence, String source) {
        // the CTE reads the row as it was before this statement, so the old severity survives the update
        String sql = """
                WITH previous AS (
                    SELECT a.severity, %s AS seen FROM alerts a
                    WHERE a.project_id = ? AND coalesce(a.model_name, '') = coalesce(?, '') AND a.kind = ?
                      AND a.status <> 'resolved')
                INSERT INTO alerts (project_id, model_name, kind, severity, title, message, evidence, source)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (project_id, coalesce(model_name, ''), kind) WHERE status <> 'resolved'
                DO UPDATE SET occurrences = alerts.occurrences + 1, last_seen_at = now(),
                              severity = EXCLUDED.severity, title = EXCLUDED.title,
                              message = EXCLUDED.message, evidence = EXCLUDED.evidence
                RETURNING %s, (SELECT severity FROM previous) AS previous_severity,
                          coalesce((SELECT seen FROM previous), false) AS seen_before
                """.formatted(SEEN.formatted("a"), COLUMNS);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setString(2, modelName);
            ps.setString(3, kind);
            ps.setLong(4, projectId);
            ps.setString(5, modelName);
            ps.setString(6, kind);
            ps.setString(7, severity);
            ps.setString(8, title);
            ps.setString(9, message);
            ps.setString(10, Sql.text(json, evidence));
            ps.setString(11, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Raised(map(rs), rs.getString("previous_severity"), rs.getBoolean("seen_before"));
            }
        } catch (SQLException e) {
            throw new RepositoryException("raising an alert", e);
        }
    }

    public Optional<Alert> find(long projectId, long id) {
        return one("SELECT " + COLUMNS + " FROM alerts WHERE id = ? AND project_id = ?", List.of(id, projectId));
    }

    /** active → acknowledged, with the note (null: none); empty when the alert is not active (or not there). */
    public Optional<Alert> acknowledge(long projectId, long id, String actor, String note) {
        return one("UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = now(), "
                + "acknowledged_note = ? WHERE id = ? AND project_id = ? AND status = 'active' RETURNING " + COLUMNS,
                Arrays.asList(actor, note, id, projectId));
    }

    /** active or acknowledged → resolved, with the note (null: none); empty when already resolved (or not there). */
    public Optional<Alert> resolve(long projectId, long id, String actor, String note) {
        return one("UPDATE alerts SET status = 'resolved', resolved_by = ?, resolved_at = now(), resolved_note = ? "
                + "WHERE id = ? AND project_id = ? AND status <> 'resolved' RETURNING " + COLUMNS,
                Arrays.asList(actor, note, id, projectId));
    }

    public Page<Alert> list(long projectId, String status, String kind, String severity, String modelName, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE project_id = ?");
        List<Object> params = new ArrayList<>(List.of(projectId));
        if (status != null) {
            where.append(" AND status = ?");
            params.add(status);
        }
        if (kind != null) {
            where.append(" AND kind = ?");
            params.add(kind);
        }
        if (severity != null) {
            where.append(" AND severity = ?");
            params.add(severity);
        }
        if (modelName != null) {
            where.append(" AND model_name = ?");
            params.add(modelName);
        }
        try (Connection c = dataSource.getConnection()) {
            return Sql.page(c, COLUMNS, "alerts", where.toString(), params, "last_seen_at DESC, id DESC", page, size,
                    this::map);
        } catch (SQLException e) {
            throw new RepositoryException("listing alerts", e);
        }
    }

    private Optional<Alert> one(String sql, List<Object> params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new RepositoryException("reading an alert", e);
        }
    }

    private Alert map(ResultSet rs) throws SQLException {
        return new Alert(rs.getLong("id"), rs.getLong("project_id"), rs.getString("model_name"), rs.getString("kind"),
                rs.getString("severity"), rs.getString("status"), rs.getString("title"), rs.getString("message"),
                Sql.json(json, rs, "evidence"), rs.getString("source"), rs.getInt("occurrences"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "last_seen_at"), rs.getString("acknowledged_by"),
                Sql.instant(rs, "acknowledged_at"), rs.getString("acknowledged_note"), rs.getString("resolved_by"),
                Sql.instant(rs, "resolved_at"), rs.getString("resolved_note"));
    }
}
