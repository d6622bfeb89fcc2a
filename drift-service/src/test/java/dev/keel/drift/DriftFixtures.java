package dev.keel.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.stats.baseline.BaselineStatisticsBuilder;
import dev.keel.common.stats.baseline.FeatureSpec;
import dev.keel.common.stats.baseline.FeatureType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Test data made the way the other services make it: a project, a registered model, a version
 * whose baseline the common builder computed from generated training rows, and logged predictions
 * (with optional feedback) in the inference service's table. Names are unique per call so tests
 * never see each other's rows.
 */
public final class DriftFixtures {

    public static final String ADMIN_KEY = "test-bootstrap-admin-key-drift-7d41c2a9";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public DriftFixtures(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Heart-disease-like traffic: three numerical features, a categorical and a boolean one. */
    public static final class HeartTraffic {
        public static final List<FeatureSpec> FEATURES = List.of(
                new FeatureSpec("age", FeatureType.NUMERIC),
                new FeatureSpec("chol", FeatureType.NUMERIC),
                new FeatureSpec("thalach", FeatureType.NUMERIC),
                new FeatureSpec("cp", FeatureType.CATEGORICAL),
                new FeatureSpec("fbs", FeatureType.BOOLEAN));
        private static final String[] CHEST_PAIN = {"typical", "atypical", "non-anginal", "asymptomatic"};

        /** {@code rows} rows; {@code shifted} names features whose distribution moves. */
        public static List<Map<String, Object>> generate(int rows, long seed, String... shifted) {
            List<String> shift = List.of(shifted);
            SplittableRandom r = new SplittableRandom(seed);
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("age", Math.round(54 + 9 * r.nextGaussian() + (shift.contains("age") ? 15 : 0)) * 1.0);
                row.put("chol", Math.round(246 + 52 * r.nextGaussian() + (shift.contains("chol") ? 80 : 0)) * 1.0);
                row.put("thalach", Math.round(150 + 23 * r.nextGaussian() - (shift.contains("thalach") ? 30 : 0)) * 1.0);
                double u = r.nextDouble();
                int cp = shift.contains("cp") ? (u < 0.7 ? 3 : (int) (u * 10) % 3) : (u < 0.47 ? 3 : u < 0.63 ? 1 : u < 0.91 ? 2 : 0);
                row.put("cp", CHEST_PAIN[cp]);
                row.put("fbs", r.nextDouble() < (shift.contains("fbs") ? 0.6 : 0.15));
                out.add(row);
            }
            return out;
        }

        public static BaselineStatistics baseline(List<Map<String, Object>> rows) {
            BaselineStatisticsBuilder b = new BaselineStatisticsBuilder(FEATURES);
            for (Map<String, Object> row : rows) {
                b.addNumber(0, (Double) row.get("age"));
                b.addNumber(1, (Double) row.get("chol"));
                b.addNumber(2, (Double) row.get("thalach"));
                b.addCategory(3, (String) row.get("cp"));
                b.addBoolean(4, (Boolean) row.get("fbs"));
                b.endRow();
            }
            return b.build();
        }
    }

    public record Version(long projectId, String project, long modelId, String model, long versionId, int version) {

        /** How /monitor names it. */
        public String monitorName() {
            return project + "/" + model + ":" + version;
        }
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Version modelVersion(String stage, BaselineStatistics baseline, String metricsJson) throws Exception {
        return modelVersion(stage, baseline, metricsJson, null);
    }

    /** A version whose registry params record the XGBoost objective (none when null, as Keel's training leaves it). */
    public Version modelVersion(String stage, BaselineStatistics baseline, String metricsJson, String objective)
            throws Exception {
        String project = unique("p");
        String model = unique("heart");
        try (Connection c = dataSource.getConnection()) {
            long projectId = insert(c, "INSERT INTO projects (name) VALUES (?) RETURNING id", project);
            long modelId = insert(c, "INSERT INTO registered_models (project_id, name) VALUES (?, ?) RETURNING id",
                    projectId, model);
            long versionId = insert(c, "INSERT INTO model_versions (model_id, version, stage, algorithm, params, metrics, "
                            + "baseline_stats, artifact_sha256, artifact_size, created_by) "
                            + "VALUES (?, 1, ?, 'xgboost', ?::jsonb, ?::jsonb, ?::jsonb, ?, 1, 'test') RETURNING id",
                    modelId, stage, objective == null ? "{}" : json.writeValueAsString(Map.of("objective", objective)),
                    metricsJson, baseline == null ? null : json.writeValueAsString(baseline), "0".repeat(64));
            return new Version(projectId, project, modelId, model, versionId, 1);
        }
    }

    /** Logs a binary classifier's predictions evenly spread from {@code start} by {@code step}; answers their request ids. */
    public List<UUID> predictions(Version v, List<Map<String, Object>> rows, Instant start, Duration step,
                                  double[] probabilities) throws Exception {
        double[] predictions = new double[rows.size()];
        Double[] p = new Double[rows.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities == null ? 0.5 : probabilities[i];
            predictions[i] = p[i] >= 0.5 ? 1.0 : 0.0;
        }
        return predictions(v, rows, start, step, predictions, p);
    }

    /** Logs predictions as given (a class index or a value; probability null where the model has none). */
    public List<UUID> predictions(Version v, List<Map<String, Object>> rows, Instant start, Duration step,
                                  double[] predictions, Double[] probabilities) throws Exception {
        List<UUID> ids = new ArrayList<>();
        String sql = "INSERT INTO predictions (request_id, predicted_at, project_id, model_name, model_version, features, "
                + "prediction, probability, latency_us) VALUES (?, ?, ?, ?, ?, ?::json, ?, ?, 100)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                ps.setObject(1, id);
                ps.setTimestamp(2, Timestamp.from(start.plus(step.multipliedBy(i))));
                ps.setLong(3, v.projectId());
                ps.setString(4, v.model());
                ps.setInt(5, v.version());
                ps.setString(6, json.writeValueAsString(rows.get(i)));
                ps.setDouble(7, predictions[i]);
                ps.setObject(8, probabilities[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return ids;
    }

    public void feedback(Version v, UUID requestId, double label) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO feedback (request_id, project_id, label) VALUES (?, ?, ?)")) {
            ps.setObject(1, requestId);
            ps.setLong(2, v.projectId());
            ps.setDouble(3, label);
            ps.executeUpdate();
        }
    }

    /** Feedback for many predictions at once: {@code labels[i]} for {@code requestIds.get(i)}. */
    public void feedback(Version v, List<UUID> requestIds, double[] labels) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO feedback (request_id, project_id, label) VALUES (?, ?, ?)")) {
            for (int i = 0; i < requestIds.size(); i++) {
                ps.setObject(1, requestIds.get(i));
                ps.setLong(2, v.projectId());
                ps.setDouble(3, labels[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public long count(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Writes a job_leases row as a replica would have left it: its holder, its claim's end, the last firing. */
    public void lease(String job, String holder, Instant until, Instant lastRun) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_leases (job_name, holder, lease_until, last_run_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (job_name) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until,
                                                     last_run_at = EXCLUDED.last_run_at""")) {
            ps.setString(1, job);
            ps.setString(2, holder);
            ps.setTimestamp(3, Timestamp.from(until));
            ps.setTimestamp(4, Timestamp.from(lastRun));
            ps.executeUpdate();
        }
    }

    private static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
