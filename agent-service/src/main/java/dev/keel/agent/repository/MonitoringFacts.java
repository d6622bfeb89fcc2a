package dev.keel.agent.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.model.Objective;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the agent reads from the tables other services write: production versions and stage history
 * (registry), the prediction log and feedback (inference), performance metrics and drift reports
 * (drift), earlier training runs (training).
 * Read-only; the owners change these tables, the agent asks them to over REST.
 */
@ApplicationScoped
public class MonitoringFacts {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public MonitoringFacts(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** A model's production version as the rules need it. */
    public record ProductionVersion(long projectId, String projectName, String modelName, int version, JsonNode metrics,
                                    double decisionThreshold, JsonNode featureSchema, String objective) {
        public String label() {
            return projectName + "/" + modelName + " v" + version;
        }

        /**
         * Whether it predicts a positive-class probability cut by its decision threshold (no objective
         * recorded counts as one: Keel's training registers binary classifiers); a positive rate, a
         * low-confidence share and a threshold to adjust mean something only for such a model.
         */
        public boolean binaryClassifier() {
            return Objective.taskOf(objective) == Objective.Task.BINARY;
        }
    }

    /** Counts and rates over a window of logged predictions. */
    public record PredictionStats(long rows, long withProbability, Double positiveRate, Double lowConfidenceShare,
                                  Double meanProbability) {
    }

    /** The verdict of a stored drift report. */
    public record DriftVerdict(long id, String modelName, int modelVersion, boolean datasetDrift, double driftShare,
                               double driftScore, String severity, long currentRows, Instant createdAt) {
    }

    /** One realized performance bucket; {@code sampleCount} is its labelled predictions (V5's labelled_count). */
    public record PerformanceBucket(int modelVersion, Instant bucketStart, Instant bucketEnd, long sampleCount, Double accuracy,
                                    Double f1, Double rmse) {
    }

    private static final String PRODUCTION = """
            SELECT p.id, p.name, m.name AS model_name, v.version, v.metrics, v.decision_threshold, v.feature_schema,
                   v.params->>'objective' AS objective
            FROM model_versions v JOIN registered_models m ON m.id = v.model_id JOIN projects p ON p.id = m.project_id
            WHERE v.stage = 'production'""";

    public List<ProductionVersion> productionVersions(Long projectId) {
        String sql = PRODUCTION + (projectId == null ? "" : " AND p.id = ?") + " ORDER BY p.id, m.name";
        return query(sql, projectId == null ? List.of() : List.of(projectId), "reading production versions", this::version);
    }

    public Optional<ProductionVersion> productionVersion(long projectId, String modelName) {
        return query(PRODUCTION + " AND p.id = ? AND m.name = ?", List.of(projectId, modelName),
                "reading the production version of " + modelName, this::version).stream().findFirst();
    }

    /** A rollback the registry's history records: the version it restored, and the one it replaced (null when none). */
    public record RecordedRollback(int toVersion, Integer fromVersion) {
    }

    /**
     * The rollback agent action {@code actionId} made, as the registry's stage history records it
     * (the action's reason leads with "agent action N"); empty when it made none.
     */
    public Optional<RecordedRollback> rollbackOf(long projectId, String modelName, long actionId) {
        String sql = """
                SELECT t.version, (t.details ->> 'rolled_back_from')::int FROM stage_transitions t
                JOIN registered_models m ON m.id = t.model_id
                WHERE m.project_id = ? AND m.name = ? AND t.kind = 'rollback' AND t.to_stage = 'production'
                  AND (t.reason LIKE ? OR t.reason LIKE ?)
                ORDER BY t.id DESC LIMIT 1""";
        String prefix = "agent action " + actionId;
        return query(sql, List.of(projectId, modelName, prefix + ",%", prefix + ":%"), "reading the rollbacks of " + modelName,
                rs -> new RecordedRollback(rs.getInt(1), (Integer) rs.getObject(2))).stream().findFirst();
    }

    /** A training run as training-service recorded it. */
    public record RecordedRun(long id, String status) {
    }

    /**
     * The run training-service started for a request carrying {@code idempotencyKey} in the project,
     * if it started one (the agent's retraining sends {@code keel-agent-action-<id>}).
     */
    public Optional<RecordedRun> trainingRunOf(long projectId, String idempotencyKey) {
        return query("SELECT id, status FROM training_runs WHERE project_id = ? AND idempotency_key = ?",
                List.of(projectId, idempotencyKey), "reading the training run of " + idempotencyKey,
                rs -> new RecordedRun(rs.getLong(1), rs.getString(2))).stream().findFirst();
    }

    /**
     * The version a rollback of the model would restore, picked as the registry picks it: the one that
     * entered production last, other than the production version now. Empty when the model has no
     * production version or has had no other (its first production version), where the registry
     * refuses a rollback with 409.
     */
    public Optional<Integer> rollbackTarget(long projectId, String modelName) {
        String sql = """
                SELECT t.version FROM stage_transitions t
                JOIN registered_models m ON m.id = t.model_id
                JOIN model_versions prod ON prod.model_id = m.id AND prod.stage = 'production'
                WHERE m.project_id = ? AND m.name = ? AND t.to_stage = 'production' AND t.version_id <> prod.id
                ORDER BY t.created_at DESC, t.id DESC LIMIT 1""";
        return query(sql, List.of(projectId, modelName), "reading the stage history of " + modelName,
                rs -> rs.getInt(1)).stream().findFirst();
    }

    /**
     * Whether the model has an earlier training run with a dataset, which training-service retrains on
     * when no other data source is configured for the model.
     */
    public boolean trainedBefore(long projectId, String modelName) {
        String sql = "SELECT EXISTS (SELECT 1 FROM training_runs WHERE project_id = ? AND model_name = ? "
                + "AND dataset_id IS NOT NULL)";
        return query(sql, List.of(projectId, modelName), "reading the training runs of " + modelName,
                rs -> rs.getBoolean(1)).get(0);
    }

    public PredictionStats predictionStats(ProductionVersion v, Instant from, Instant to, double margin) {
        String sql = """
                SELECT count(*) AS n, count(probability) AS with_probability,
                       avg(CASE WHEN prediction = 1 THEN 1.0 ELSE 0.0 END) AS positive_rate,
                       avg(CASE WHEN probability IS NULL THEN NULL
                                WHEN abs(probability - ?) < ? THEN 1.0 ELSE 0.0 END) AS low_confidence_share,
                       avg(probability) AS mean_probability
                FROM predictions
                WHERE project_id = ? AND model_name = ? AND model_version = ? AND predicted_at >= ? AND predicted_at < ?""";
        List<Object> params = List.of(v.decisionThreshold(), margin, v.projectId(), v.modelName(), v.version(),
                Timestamp.from(from), Timestamp.from(to));
        return query(sql, params, "reading prediction statistics of " + v.label(), rs -> new PredictionStats(
                rs.getLong("n"), rs.getLong("with_probability"), Sql.nullableDouble(rs, "positive_rate"),
                Sql.nullableDouble(rs, "low_confidence_share"), Sql.nullableDouble(rs, "mean_probability"))).get(0);
    }

    /** The probability below which {@code quantile} of the window's predictions lie; empty without probabilities. */
    public Optional<Double> probabilityQuantile(ProductionVersion v, Instant from, Instant to, double quantile) {
        String sql = """
                SELECT percentile_cont(?) WITHIN GROUP (ORDER BY probability) AS q FROM predictions
                WHERE project_id = ? AND model_name = ? AND model_version = ? AND predicted_at >= ? AND predicted_at < ?
                  AND probability IS NOT NULL""";
        List<Object> params = List.of(quantile, v.projectId(), v.modelName(), v.version(), Timestamp.from(from),
                Timestamp.from(to));
        return Optional.ofNullable(query(sql, params, "reading probabilities of " + v.label(),
                rs -> Sql.nullableDouble(rs, "q")).get(0));
    }

    /** The features of the newest logged requests in the window, at most {@code limit}. */
    public List<JsonNode> recentFeatures(ProductionVersion v, Instant from, Instant to, int limit) {
        String sql = """
                SELECT features FROM predictions
                WHERE project_id = ? AND model_name = ? AND model_version = ? AND predicted_at >= ? AND predicted_at < ?
                ORDER BY predicted_at DESC LIMIT ?""";
        List<Object> params = List.of(v.projectId(), v.modelName(), v.version(), Timestamp.from(from), Timestamp.from(to),
                limit);
        return query(sql, params, "reading logged requests of " + v.label(), rs -> Sql.json(json, rs, "features"));
    }

    /**
     * Rows inference-service refused as invalid (422) from the start of the hour {@code fromHour}
     * until {@code to}, by reason: its hourly counts ({@code prediction_rejections}), so the span is
     * whole hours from its start. Refused rows never reach the prediction log.
     */
    public Map<String, Long> refusedRows(ProductionVersion v, Instant fromHour, Instant to) {
        String sql = """
                SELECT reason, sum(rows) AS n FROM prediction_rejections
                WHERE project_id = ? AND model_name = ? AND model_version = ? AND hour >= ? AND hour < ?
                GROUP BY reason ORDER BY reason""";
        List<Object> params = List.of(v.projectId(), v.modelName(), v.version(),
                Timestamp.from(fromHour.truncatedTo(java.time.temporal.ChronoUnit.HOURS)), Timestamp.from(to));
        Map<String, Long> byReason = new java.util.TreeMap<>();
        query(sql, params, "reading refused rows of " + v.label(), rs -> byReason.put(rs.getString("reason"), rs.getLong("n")));
        return byReason;
    }

    public Optional<DriftVerdict> driftReport(long projectId, long reportId) {
        return query(DRIFT + " WHERE project_id = ? AND id = ?", List.of(projectId, reportId), "reading drift report " + reportId,
                this::verdict).stream().findFirst();
    }

    public Optional<DriftVerdict> latestDriftReport(long projectId, String modelName, Instant since) {
        return query(DRIFT + " WHERE project_id = ? AND model_name = ? AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT 1",
                List.of(projectId, modelName, Timestamp.from(since)), "reading drift reports of " + modelName, this::verdict)
                .stream().findFirst();
    }

    public List<DriftVerdict> driftReports(long projectId, String modelName, int limit) {
        return query(DRIFT + " WHERE project_id = ? AND model_name = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                List.of(projectId, modelName, limit), "reading drift reports of " + modelName, this::verdict);
    }

    /**
     * Realized buckets of the version that end after {@code since} and hold at least
     * {@code minLabelled} predictions with feedback, newest first. {@code sampleCount} of each is that
     * labelled count: a bucket's metrics come from its labelled rows alone, and the newest hours,
     * full of predictions whose labels have not come yet, must not hide an older bucket that has them.
     */
    public List<PerformanceBucket> realizedPerformance(long projectId, String modelName, Integer version, Instant since,
                                                       long minLabelled, int limit) {
        String sql = """
                SELECT model_version, bucket_start, bucket_end, labelled_count, accuracy, f1, rmse
                FROM performance_metrics
                WHERE project_id = ? AND model_name = ? AND kind = 'realized' AND bucket_end > ? AND labelled_count >= ?
                """ + (version == null ? "" : " AND model_version = ?") + " ORDER BY bucket_end DESC LIMIT ?";
        List<Object> params = new ArrayList<>(List.of(projectId, modelName, Timestamp.from(since), minLabelled));
        if (version != null) {
            params.add(version);
        }
        params.add(limit);
        return query(sql, params, "reading performance of " + modelName, rs -> new PerformanceBucket(rs.getInt("model_version"),
                Sql.instant(rs, "bucket_start"), Sql.instant(rs, "bucket_end"), rs.getLong("labelled_count"),
                Sql.nullableDouble(rs, "accuracy"), Sql.nullableDouble(rs, "f1"), Sql.nullableDouble(rs, "rmse")));
    }

    private static final String DRIFT = "SELECT id, model_name, model_version, dataset_drift, drift_share, drift_score, severity, "
            + "current_rows, created_at FROM drift_reports";

    private DriftVerdict verdict(ResultSet rs) throws SQLException {
        return new DriftVerdict(rs.getLong("id"), rs.getString("model_name"), rs.getInt("model_version"),
                rs.getBoolean("dataset_drift"), rs.getDouble("drift_share"), rs.getDouble("drift_score"),
                rs.getString("severity"), rs.getLong("current_rows"), Sql.instant(rs, "created_at"));
    }

    private ProductionVersion version(ResultSet rs) throws SQLException {
        return new ProductionVersion(rs.getLong(1), rs.getString(2), rs.getString("model_name"), rs.getInt("version"),
                Sql.json(json, rs, "metrics"), rs.getDouble("decision_threshold"), Sql.json(json, rs, "feature_schema"),
                rs.getString("objective"));
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, String doing, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, params);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepositoryException(doing, e);
        }
    }
}
