package dev.keel.agent.testing;

import static io.restassured.RestAssured.given;

import dev.keel.common.testing.TestProjects;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * Rows the other services would have written (a production version, logged predictions, drift
 * reports, performance buckets), straight into the shared tables, and small REST shortcuts.
 */
public final class Fixtures {

    public static final String SCHEMA = """
            [{"name": "age", "type": "numeric"}, {"name": "plan", "type": "categorical",
              "categories": ["basic", "premium"]}]""";

    private final DataSource dataSource;
    public final TestProjects.Project project;

    public Fixtures(DataSource dataSource, String prefix) throws SQLException {
        this.dataSource = dataSource;
        this.project = TestProjects.create(dataSource, prefix);
    }

    public static String model(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A registered model with one production version carrying test metrics and the feature schema. */
    public void production(String model, int version, double f1, double accuracy, double threshold) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long modelId;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO registered_models (project_id, name) VALUES (?, ?) RETURNING id")) {
                ps.setLong(1, project.id());
                ps.setString(2, model);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    modelId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO model_versions (model_id, version, stage, algorithm, metrics, feature_schema,
                        decision_threshold, artifact_sha256, artifact_size, created_by)
                    VALUES (?, ?, 'production', 'xgboost-gbtree', ?::jsonb, ?::jsonb, ?, ?, 1, 'test')""")) {
                ps.setLong(1, modelId);
                ps.setInt(2, version);
                ps.setString(3, "{\"f1\": " + f1 + ", \"accuracy\": " + accuracy + "}");
                ps.setString(4, SCHEMA);
                ps.setDouble(5, threshold);
                ps.setString(6, "0".repeat(64));
                ps.executeUpdate();
            }
        }
    }

    /**
     * An archived {@code version} of {@code model} (made by {@link #production}) that was production
     * before, as the registry's stage history records it: what a rollback goes back to.
     */
    public void earlierProduction(String model, int version) throws SQLException {
        execute("""
                INSERT INTO model_versions (model_id, version, stage, algorithm, artifact_sha256, artifact_size, created_by)
                SELECT id, ?, 'archived', 'xgboost-gbtree', ?, 1, 'test' FROM registered_models
                WHERE project_id = ? AND name = ?""", version, "1".repeat(64), project.id(), model);
        execute("""
                INSERT INTO stage_transitions (model_id, version_id, version, from_stage, to_stage, actor, reason, kind,
                    created_at)
                SELECT m.id, v.id, v.version, 'staging', 'production', 'test', 'promoted', 'stage', now() - interval '30 days'
                FROM registered_models m JOIN model_versions v ON v.model_id = m.id AND v.version = ?
                WHERE m.project_id = ? AND m.name = ?""", version, project.id(), model);
    }

    /** A finished training run of {@code model} on a dataset of its own, as training-service records one. */
    public void trainingRun(String model) throws SQLException {
        execute("""
                WITH d AS (INSERT INTO datasets (project_id, name, fingerprint, row_count, column_count, target_column,
                               columns, validation, size_bytes, created_by)
                           VALUES (?, ?, ?, 100, 3, 'churned', '[]', '{}', 1000, 'test') RETURNING id)
                INSERT INTO training_runs (project_id, model_name, dataset_id, trigger, triggered_by, status)
                SELECT ?, ?, d.id, 'manual', 'test', 'succeeded' FROM d""",
                project.id(), model + ".csv", "2".repeat(64), project.id(), model);
    }

    /** Records the XGBoost objective in the params of every version of {@code model}, as the registry does at upload. */
    public void objective(String model, String objective) throws SQLException {
        execute("UPDATE model_versions SET params = jsonb_build_object('objective', ?::text) WHERE model_id = "
                + "(SELECT id FROM registered_models WHERE project_id = ? AND name = ?)", objective, project.id(), model);
    }

    /** {@code n} logged predictions spread over the minutes before {@code end}; row i's probability from the function. */
    public void predictions(String model, int version, int n, Instant end, IntFunction<Double> probability,
                            IntFunction<String> features) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO predictions (request_id, predicted_at, project_id, model_name, model_version, features,
                    prediction, probability, latency_us) VALUES (?, ?, ?, ?, ?, ?::json, ?, ?, 100)""")) {
            for (int i = 0; i < n; i++) {
                double p = probability.apply(i);
                ps.setObject(1, UUID.randomUUID());
                ps.setTimestamp(2, Timestamp.from(end.minusSeconds(10L * (i + 1))));
                ps.setLong(3, project.id());
                ps.setString(4, model);
                ps.setInt(5, version);
                ps.setString(6, features.apply(i));
                ps.setDouble(7, p >= 0.5 ? 1 : 0);
                ps.setDouble(8, p);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static String goodFeatures(int i) {
        return "{\"age\": " + (30 + i % 40) + ", \"plan\": \"" + (i % 2 == 0 ? "basic" : "premium") + "\"}";
    }

    public long driftReport(String model, int version, boolean drift, double share, double score, String severity)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO drift_reports (project_id, model_name, model_version, reference_rows, current_rows,
                    dataset_drift, drift_share, drift_score, severity, trigger, report)
                VALUES (?, ?, ?, 1000, 500, ?, ?, ?, ?, 'schedule', '{}') RETURNING id""")) {
            ps.setLong(1, project.id());
            ps.setString(2, model);
            ps.setInt(3, version);
            ps.setBoolean(4, drift);
            ps.setDouble(5, share);
            ps.setDouble(6, score);
            ps.setString(7, severity);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void performance(String model, int version, Instant bucketStart, long samples, double accuracy, double f1)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO performance_metrics (project_id, model_name, model_version, bucket_start, bucket_end, kind,
                    sample_count, labelled_count, accuracy, f1) VALUES (?, ?, ?, ?, ?, 'realized', ?, ?, ?, ?)""")) {
            ps.setLong(1, project.id());
            ps.setString(2, model);
            ps.setInt(3, version);
            ps.setTimestamp(4, Timestamp.from(bucketStart));
            ps.setTimestamp(5, Timestamp.from(bucketStart.plus(Duration.ofHours(1))));
            ps.setLong(6, samples * 2);
            ps.setLong(7, samples);
            ps.setDouble(8, accuracy);
            ps.setDouble(9, f1);
            ps.executeUpdate();
        }
    }

    /** A realized bucket of predictions whose labels have not come yet: counts, no metrics. */
    public void unlabelledPerformance(String model, int version, Instant bucketStart, long samples) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO performance_metrics (project_id, model_name, model_version, bucket_start, bucket_end, kind,
                    sample_count, labelled_count) VALUES (?, ?, ?, ?, ?, 'realized', ?, 0)""")) {
            ps.setLong(1, project.id());
            ps.setString(2, model);
            ps.setInt(3, version);
            ps.setTimestamp(4, Timestamp.from(bucketStart));
            ps.setTimestamp(5, Timestamp.from(bucketStart.plus(Duration.ofHours(1))));
            ps.setLong(6, samples);
            ps.executeUpdate();
        }
    }

    public long count(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void execute(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    /** POSTs a signal with the write key and answers the checked 200 response. */
    public ValidatableResponse signal(String json) {
        return given().header("X-API-Key", project.writeKey()).contentType(ContentType.JSON).body(json)
                .when().post("/api/v1/agent/signals").then().statusCode(200);
    }

    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
