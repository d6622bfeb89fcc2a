package dev.keel.drift.repository;

import dev.keel.common.stats.ClassConfusion;
import dev.keel.drift.service.PerformanceBucket;
import dev.keel.drift.stats.ConfusionMatrix;
import dev.keel.drift.stats.ProbabilityCalibration;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Performance monitoring's reads of the prediction log joined with feedback (inference's tables,
 * a shared read), and its writes to {@code performance_metrics}. Every figure is an SQL aggregate
 * per bucket or a cursor over groups, so no window is held row by row. A bucket is identified by
 * its index {@code floor(epoch seconds / bucket seconds)}; for binary classifiers a prediction is
 * positive when its {@code prediction} is 1 and a label when it is 1, for multi-class ones both are
 * class indexes, for regression models values.
 */
@ApplicationScoped
public class PerformanceRepository {

    private static final int FETCH_SIZE = 2000;
    private static final String BUCKET = "floor(extract(epoch FROM p.predicted_at) / ?)::bigint";
    private static final String FROM_PREDICTIONS = """
             FROM predictions p LEFT JOIN feedback f ON f.request_id = p.request_id AND f.project_id = p.project_id
            WHERE p.project_id = ? AND p.model_name = ? AND p.model_version = ?
              AND p.predicted_at >= ? AND p.predicted_at < ?
            """;

    private final DataSource dataSource;

    public PerformanceRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Label-free and labelled aggregates of one bucket. */
    public record BucketCounts(long bucket, long rows, long labelled, ConfusionMatrix confusion, Double meanProbability,
                               Double positiveRate, Double lowConfidenceShare) {
    }

    /** One cell of a bucket for the estimate: predictions of one predicted class in one fine probability bin. */
    public record EstimationCell(long bucket, boolean predictedPositive, long count, double meanProbability) {
    }

    /** A consumer of rows that may not throw checked exceptions. */
    @FunctionalInterface
    public interface GroupConsumer<T> {
        void accept(T group);
    }

    /** Per bucket of [from, to): counts, confusion matrix of the labelled rows, mean probability, rates. */
    public List<BucketCounts> bucketCounts(ModelVersionRef v, Instant from, Instant to, long bucketSeconds,
                                           double lowConfidenceMargin) {
        String sql = "SELECT " + BUCKET + " AS b, count(*), count(f.label),"
                + " sum(CASE WHEN p.prediction = 1 AND f.label = 1 THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN p.prediction = 1 AND f.label <> 1 THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN p.prediction <> 1 AND f.label = 1 THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN p.prediction <> 1 AND f.label <> 1 THEN 1 ELSE 0 END),"
                + " avg(p.probability),"
                + " avg(CASE WHEN p.prediction = 1 THEN 1.0 ELSE 0.0 END),"
                + " avg(CASE WHEN p.probability IS NULL THEN NULL WHEN abs(p.probability - 0.5) < ? THEN 1.0 ELSE 0.0 END)"
                + FROM_PREDICTIONS + " GROUP BY b ORDER BY b";
        List<BucketCounts> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, bucketSeconds);
            ps.setDouble(2, lowConfidenceMargin);
            bindVersionAndRange(ps, 3, v, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new BucketCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                            new ConfusionMatrix(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)),
                            nullableDouble(rs, 8), nullableDouble(rs, 9), nullableDouble(rs, 10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepositoryException("aggregating predictions and feedback", e);
        }
    }

    /** A multi-class classifier's bucket: its predictions, their mean probability, and the labelled ones' confusion. */
    public record ClassBucket(long bucket, long rows, Double meanProbability, ClassConfusion confusion) {
    }

    /** Per bucket of [from, to): a multi-class classifier's counts and (predicted, true) class cells. */
    public List<ClassBucket> classBuckets(ModelVersionRef v, Instant from, Instant to, long bucketSeconds) {
        String sql = "SELECT " + BUCKET + " AS b, p.prediction, f.label, count(*), sum(p.probability), count(p.probability)"
                + FROM_PREDICTIONS + " GROUP BY b, p.prediction, f.label";
        // per bucket: rows, rows with a probability, their sum; and the labelled cells
        Map<Long, double[]> counts = new TreeMap<>();
        Map<Long, ClassConfusion> confusions = new HashMap<>();
        stream(sql, ps -> {
            ps.setLong(1, bucketSeconds);
            bindVersionAndRange(ps, 2, v, from, to);
        }, rs -> {
            long bucket = rs.getLong(1);
            long rows = rs.getLong(4);
            double[] n = counts.computeIfAbsent(bucket, k -> new double[3]);
            n[0] += rows;
            n[1] += rs.getLong(6);
            n[2] += rs.getDouble(5);
            ClassConfusion confusion = confusions.computeIfAbsent(bucket, k -> new ClassConfusion());
            double label = rs.getDouble(3);
            if (!rs.wasNull()) {
                confusion.add(rs.getDouble(2), label, rows);
            }
        }, "aggregating multi-class predictions and feedback");
        List<ClassBucket> out = new ArrayList<>();
        counts.forEach((bucket, n) -> out.add(new ClassBucket(bucket, (long) n[0], n[1] == 0 ? null : n[2] / n[1],
                confusions.get(bucket))));
        return out;
    }

    /** A regression model's bucket: predictions, labelled ones, and their mean absolute and root mean squared error. */
    public record ErrorBucket(long bucket, long rows, long labelled, Double mae, Double rmse) {
    }

    /** Per bucket of [from, to): a regression model's counts and errors against the labels. */
    public List<ErrorBucket> errorBuckets(ModelVersionRef v, Instant from, Instant to, long bucketSeconds) {
        String sql = "SELECT " + BUCKET + " AS b, count(*), count(f.label), avg(abs(p.prediction - f.label)),"
                + " sqrt(avg((p.prediction - f.label) * (p.prediction - f.label)))"
                + FROM_PREDICTIONS + " GROUP BY b ORDER BY b";
        List<ErrorBucket> out = new ArrayList<>();
        stream(sql, ps -> {
            ps.setLong(1, bucketSeconds);
            bindVersionAndRange(ps, 2, v, from, to);
        }, rs -> out.add(new ErrorBucket(rs.getLong(1), rs.getLong(2), rs.getLong(3), nullableDouble(rs, 4),
                nullableDouble(rs, 5))), "aggregating regression predictions and feedback");
        return out;
    }

    /**
     * Labelled predictions with a probability, grouped per bucket and distinct probability in
     * ascending order: (bucket, probability, positives, negatives), streamed for ROC-AUC.
     */
    public void labelledByProbability(ModelVersionRef v, Instant from, Instant to, long bucketSeconds,
                                      GroupConsumer<double[]> consumer) {
        String sql = "SELECT " + BUCKET + " AS b, p.probability,"
                + " sum(CASE WHEN f.label = 1 THEN 1 ELSE 0 END), sum(CASE WHEN f.label = 1 THEN 0 ELSE 1 END)"
                + FROM_PREDICTIONS + " AND f.label IS NOT NULL AND p.probability IS NOT NULL"
                + " GROUP BY b, p.probability ORDER BY b, p.probability";
        stream(sql, ps -> {
            ps.setLong(1, bucketSeconds);
            bindVersionAndRange(ps, 2, v, from, to);
        }, rs -> consumer.accept(new double[] {rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4)}),
                "reading labelled predictions for ROC-AUC");
    }

    /** Labelled predictions of [from, to) in {@code bins} equal-width probability bins, ascending. */
    public List<ProbabilityCalibration.Bin> calibrationBins(ModelVersionRef v, Instant from, Instant to, int bins) {
        String sql = "SELECT width_bucket(p.probability, 0, 1, ?) AS bin, count(*), sum(p.probability),"
                + " sum(CASE WHEN f.label = 1 THEN 1 ELSE 0 END)"
                + FROM_PREDICTIONS + " AND f.label IS NOT NULL AND p.probability IS NOT NULL GROUP BY bin ORDER BY bin";
        List<ProbabilityCalibration.Bin> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, bins);
            bindVersionAndRange(ps, 2, v, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ProbabilityCalibration.Bin(rs.getLong(2), rs.getDouble(3), rs.getLong(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepositoryException("reading the calibration reference", e);
        }
    }

    /** Predictions with a probability, per bucket, predicted class and fine probability bin, ordered by bucket. */
    public void estimationCells(ModelVersionRef v, Instant from, Instant to, long bucketSeconds, int fineBins,
                                GroupConsumer<EstimationCell> consumer) {
        String sql = "SELECT " + BUCKET + " AS b, (p.prediction = 1) AS pos, width_bucket(p.probability, 0, 1, ?) AS bin,"
                + " count(*), avg(p.probability)"
                + FROM_PREDICTIONS + " AND p.probability IS NOT NULL GROUP BY b, pos, bin ORDER BY b";
        stream(sql, ps -> {
            ps.setLong(1, bucketSeconds);
            ps.setInt(2, fineBins);
            bindVersionAndRange(ps, 3, v, from, to);
        }, rs -> consumer.accept(new EstimationCell(rs.getLong(1), rs.getBoolean(2), rs.getLong(4), rs.getDouble(5))),
                "reading predictions for the estimate");
    }

    /** Inserts or replaces the row of the bucket's model version, kind and start; answers it as stored. */
    public PerformanceBucket upsert(long projectId, PerformanceBucket b) {
        String sql = """
                INSERT INTO performance_metrics (project_id, model_name, model_version, bucket_start, bucket_end, kind,
                    sample_count, labelled_count, accuracy, precision_score, recall, f1, roc_auc, mae, rmse,
                    mean_probability, positive_rate, low_confidence_share, true_positives, false_positives,
                    false_negatives, true_negatives, computed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (project_id, model_name, model_version, kind, bucket_start) DO UPDATE SET
                    bucket_end = EXCLUDED.bucket_end, sample_count = EXCLUDED.sample_count,
                    labelled_count = EXCLUDED.labelled_count, accuracy = EXCLUDED.accuracy,
                    precision_score = EXCLUDED.precision_score, recall = EXCLUDED.recall, f1 = EXCLUDED.f1,
                    roc_auc = EXCLUDED.roc_auc, mae = EXCLUDED.mae, rmse = EXCLUDED.rmse,
                    mean_probability = EXCLUDED.mean_probability,
                    positive_rate = EXCLUDED.positive_rate, low_confidence_share = EXCLUDED.low_confidence_share,
                    true_positives = EXCLUDED.true_positives, false_positives = EXCLUDED.false_positives,
                    false_negatives = EXCLUDED.false_negatives, true_negatives = EXCLUDED.true_negatives,
                    computed_at = now()
                RETURNING computed_at
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setString(2, b.modelName());
            ps.setInt(3, b.modelVersion());
            ps.setObject(4, utc(b.bucketStart()));
            ps.setObject(5, utc(b.bucketEnd()));
            ps.setString(6, b.kind().wireName());
            ps.setLong(7, b.sampleCount());
            ps.setLong(8, b.labelledCount());
            Double[] values = {b.accuracy(), b.precision(), b.recall(), b.f1(), b.rocAuc(), b.mae(), b.rmse(),
                    b.meanProbability(), b.positiveRate(), b.lowConfidenceShare(), b.truePositives(),
                    b.falsePositives(), b.falseNegatives(), b.trueNegatives()};
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    ps.setNull(9 + i, Types.DOUBLE);
                } else {
                    ps.setDouble(9 + i, values[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return b.computedAt(rs.getObject(1, OffsetDateTime.class).toInstant());
            }
        } catch (SQLException e) {
            throw new RepositoryException("storing performance metrics", e);
        }
    }

    /**
     * Stored buckets of a project whose start lies in [from, to), optionally of one model, version
     * and kind, ordered by model, version, start and kind; at most {@code limit}.
     */
    public List<PerformanceBucket> list(long projectId, Optional<String> model, Optional<Integer> version,
                                        Optional<PerformanceBucket.Kind> kind, Instant from, Instant to, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT model_name, model_version, kind, bucket_start, bucket_end, sample_count, labelled_count,
                       accuracy, precision_score, recall, f1, roc_auc, mae, rmse, mean_probability, positive_rate,
                       low_confidence_share, true_positives, false_positives, false_negatives, true_negatives,
                       computed_at
                FROM performance_metrics WHERE project_id = ? AND bucket_start >= ? AND bucket_start < ?
                """);
        model.ifPresent(m -> sql.append(" AND model_name = ?"));
        version.ifPresent(m -> sql.append(" AND model_version = ?"));
        kind.ifPresent(m -> sql.append(" AND kind = ?"));
        sql.append(" ORDER BY model_name, model_version, bucket_start, kind LIMIT ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, projectId);
            ps.setObject(i++, utc(from));
            ps.setObject(i++, utc(to));
            if (model.isPresent()) {
                ps.setString(i++, model.get());
            }
            if (version.isPresent()) {
                ps.setInt(i++, version.get());
            }
            if (kind.isPresent()) {
                ps.setString(i++, kind.get().wireName());
            }
            ps.setInt(i, limit);
            List<PerformanceBucket> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Double[] metrics = new Double[14];
                    for (int m = 0; m < metrics.length; m++) {
                        metrics[m] = nullableDouble(rs, 8 + m);
                    }
                    out.add(new PerformanceBucket(rs.getString(1), rs.getInt(2), PerformanceBucket.Kind.of(rs.getString(3)),
                            instant(rs, 4), instant(rs, 5), rs.getLong(6), rs.getLong(7), metrics[0], metrics[1],
                            metrics[2], metrics[3], metrics[4], metrics[5], metrics[6], metrics[7], metrics[8],
                            metrics[9], metrics[10], metrics[11], metrics[12], metrics[13], instant(rs, 22)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepositoryException("reading performance metrics", e);
        }
    }

    /** When the oldest and the newest of a version's stored buckets in a range were computed. */
    public record Computed(Instant first, Instant last) {
    }

    /**
     * When the version's stored buckets (either kind) starting in [from, to) were computed, the oldest and
     * the newest; empty when none is stored. A computation rewrites every bucket of its range that has
     * predictions, so a first at or after an instant says the whole range was computed since then.
     */
    public Optional<Computed> computed(ModelVersionRef v, Instant from, Instant to) {
        String sql = """
                SELECT min(computed_at), max(computed_at) FROM performance_metrics
                WHERE project_id = ? AND model_name = ? AND model_version = ? AND bucket_start >= ? AND bucket_start < ?
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bindVersionAndRange(ps, 1, v, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Instant first = instant(rs, 1);
                return first == null ? Optional.empty() : Optional.of(new Computed(first, instant(rs, 2)));
            }
        } catch (SQLException e) {
            throw new RepositoryException("reading when performance metrics were computed", e);
        }
    }

    /**
     * A version's realized buckets starting in [from, to) taken together: the labelled count, the
     * summed confusion matrix (binary), and accuracy, MAE and RMSE over all their labelled
     * predictions (each bucket's figure weighted by its labelled count, which is exact).
     */
    public Realized realizedTotals(ModelVersionRef v, Instant from, Instant to) {
        String sql = """
                SELECT coalesce(sum(labelled_count), 0), coalesce(sum(true_positives), 0),
                       coalesce(sum(false_positives), 0), coalesce(sum(false_negatives), 0),
                       coalesce(sum(true_negatives), 0),
                       sum(accuracy * labelled_count) / nullif(sum(labelled_count) FILTER (WHERE accuracy IS NOT NULL), 0),
                       sum(mae * labelled_count) / nullif(sum(labelled_count) FILTER (WHERE mae IS NOT NULL), 0),
                       sqrt(sum(rmse * rmse * labelled_count) / nullif(sum(labelled_count) FILTER (WHERE rmse IS NOT NULL), 0))
                FROM performance_metrics
                WHERE project_id = ? AND model_name = ? AND model_version = ? AND kind = 'realized'
                  AND bucket_start >= ? AND bucket_start < ?
                """;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bindVersionAndRange(ps, 1, v, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Realized(rs.getLong(1),
                        new ConfusionMatrix(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)),
                        nullableDouble(rs, 6), nullableDouble(rs, 7), nullableDouble(rs, 8));
            }
        } catch (SQLException e) {
            throw new RepositoryException("summing performance metrics", e);
        }
    }

    public record Realized(long labelled, ConfusionMatrix confusion, Double accuracy, Double mae, Double rmse) {
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void stream(String sql, Binder binder, RowReader reader, String doing) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            // PostgreSQL only streams with a cursor inside a transaction
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new RepositoryException(doing, e);
        }
    }

    private static void bindVersionAndRange(PreparedStatement ps, int first, ModelVersionRef v, Instant from, Instant to)
            throws SQLException {
        ps.setLong(first, v.projectId());
        ps.setString(first + 1, v.modelName());
        ps.setInt(first + 2, v.version());
        ps.setObject(first + 3, utc(from));
        ps.setObject(first + 4, utc(to));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? null : d;
    }
}
