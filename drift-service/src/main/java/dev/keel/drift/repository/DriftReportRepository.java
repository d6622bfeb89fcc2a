package dev.keel.drift.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.service.DriftReport;
import dev.keel.drift.service.Severity;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code drift_reports} table, which drift owns. */
@ApplicationScoped
public class DriftReportRepository {

    private static final String COLUMNS = "id, project_id, model_name, model_version, window_start, window_end, "
            + "reference_rows, current_rows, dataset_drift, drift_share, drift_score, severity, trigger, report::text, created_at";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public DriftReportRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public DriftReport insert(long projectId, DriftReport report) {
        String sql = "INSERT INTO drift_reports (project_id, model_name, model_version, window_start, window_end, "
                + "reference_rows, current_rows, dataset_drift, drift_share, drift_score, severity, trigger, report) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id, created_at";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setString(2, report.modelName());
            ps.setInt(3, report.modelVersion());
            setInstant(ps, 4, report.windowStart());
            setInstant(ps, 5, report.windowEnd());
            ps.setLong(6, report.referenceRows());
            ps.setLong(7, report.currentRows());
            ps.setBoolean(8, report.datasetDrift());
            ps.setDouble(9, report.driftShare());
            ps.setDouble(10, report.driftScore());
            ps.setString(11, report.severity().wireName());
            ps.setString(12, report.trigger());
            ps.setString(13, json.writeValueAsString(report.body()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return report.withIdAndTime(rs.getLong(1), rs.getTimestamp(2).toInstant());
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new RepositoryException("storing a drift report", e);
        }
    }

    public Optional<DriftReport> find(long projectId, long id) {
        List<DriftReport> found = query("SELECT " + COLUMNS + " FROM drift_reports WHERE project_id = ? AND id = ?",
                ps -> {
                    ps.setLong(1, projectId);
                    ps.setLong(2, id);
                });
        return found.stream().findFirst();
    }

    /** Newest first; {@code model} and {@code version} narrow it when given. */
    public List<DriftReport> list(long projectId, String model, Integer version, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM drift_reports WHERE project_id = ?");
        if (model != null) {
            sql.append(" AND model_name = ?");
        }
        if (version != null) {
            sql.append(" AND model_version = ?");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        return query(sql.toString(), ps -> {
            int i = 1;
            ps.setLong(i++, projectId);
            if (model != null) {
                ps.setString(i++, model);
            }
            if (version != null) {
                ps.setInt(i++, version);
            }
            ps.setInt(i, limit);
        });
    }

    /** The version's latest scheduled report, if any: where its next scheduled round picks up. */
    public Optional<DriftReport> lastScheduled(long projectId, String model, int version) {
        return query("SELECT " + COLUMNS + " FROM drift_reports WHERE project_id = ? AND model_name = ? "
                + "AND model_version = ? AND trigger = 'schedule' ORDER BY created_at DESC, id DESC LIMIT 1", ps -> {
                    ps.setLong(1, projectId);
                    ps.setString(2, model);
                    ps.setInt(3, version);
                }).stream().findFirst();
    }

    private List<DriftReport> query(String sql, ModelVersionRepository.Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<DriftReport> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DriftReport.Body body = json.readValue(rs.getString(14), DriftReport.Body.class);
                    out.add(new DriftReport(rs.getLong(1), body.project(), rs.getString(3), rs.getInt(4),
                            rs.getString(13), body.source(), instant(rs, 5), instant(rs, 6), rs.getLong(7), rs.getLong(8),
                            rs.getBoolean(9), rs.getDouble(10), body.driftShareThreshold(), body.evaluatedFeatures(),
                            body.driftedFeatures(), rs.getDouble(11), Severity.valueOf(rs.getString(12).toUpperCase()),
                            body.warningThreshold(), body.criticalThreshold(), body.features(), instant(rs, 15)));
                }
            }
            return out;
        } catch (SQLException | java.io.IOException e) {
            throw new RepositoryException("reading drift reports", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(value));
        }
    }
}
