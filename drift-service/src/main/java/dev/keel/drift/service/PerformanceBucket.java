package dev.keel.drift.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.common.stats.ClassConfusion;
import dev.keel.drift.stats.ConfusionMatrix;
import java.time.Instant;

/**
 * One stored row of {@code performance_metrics}: a model version's quality in one time bucket,
 * realized from feedback labels or estimated (confidence-based) before they arrive. Metrics whose
 * denominator is zero are null, as are those that do not apply to the model's task: a binary
 * classifier has the confusion matrix and every classification metric; a multi-class one accuracy
 * and the macro averages of precision, recall and F1 (and the mean probability of the class it
 * chose); a regression model {@code mae} and {@code rmse}. For an estimated row (binary only) the
 * confusion-matrix counts and {@code roc_auc} are expected values from the calibrated probabilities.
 */
public record PerformanceBucket(String modelName, int modelVersion, Kind kind, Instant bucketStart, Instant bucketEnd,
                                long sampleCount, long labelledCount, Double accuracy,
                                @JsonProperty("precision") Double precision, Double recall, Double f1, Double rocAuc,
                                Double mae, Double rmse, Double meanProbability, Double positiveRate,
                                Double lowConfidenceShare, Double truePositives, Double falsePositives,
                                Double falseNegatives, Double trueNegatives, Instant computedAt) {

    /** Realized from labels or estimated from calibrated probabilities; the wire and column value is the lower-case name. */
    public enum Kind {
        @JsonProperty("realized") REALIZED,
        @JsonProperty("estimated") ESTIMATED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The row's counts as a matrix (empty where they are null). */
    public ConfusionMatrix confusion() {
        return truePositives == null ? ConfusionMatrix.EMPTY
                : new ConfusionMatrix(truePositives, falsePositives, falseNegatives, trueNegatives);
    }

    /** A binary classifier's bucket. */
    static PerformanceBucket of(String model, int version, Kind kind, Instant start, Instant end, long samples,
                                long labelled, ConfusionMatrix m, Double rocAuc, Double meanProbability,
                                Double positiveRate, Double lowConfidenceShare) {
        return new PerformanceBucket(model, version, kind, start, end, samples, labelled, m.accuracy(), m.precision(),
                m.recall(), m.f1(), rocAuc, null, null, meanProbability, positiveRate, lowConfidenceShare,
                m.truePositives(), m.falsePositives(), m.falseNegatives(), m.trueNegatives(), null);
    }

    /** A multi-class classifier's realized bucket. */
    static PerformanceBucket multiclass(String model, int version, Instant start, Instant end, long samples,
                                        ClassConfusion c, Double meanProbability) {
        return new PerformanceBucket(model, version, Kind.REALIZED, start, end, samples, c.total(), c.accuracy(),
                c.macroPrecision(), c.macroRecall(), c.macroF1(), null, null, null, meanProbability, null, null,
                null, null, null, null, null);
    }

    /** A regression model's realized bucket. */
    static PerformanceBucket regression(String model, int version, Instant start, Instant end, long samples,
                                        long labelled, Double mae, Double rmse) {
        return new PerformanceBucket(model, version, Kind.REALIZED, start, end, samples, labelled, null, null, null,
                null, null, mae, rmse, null, null, null, null, null, null, null, null);
    }

    /** The same row as stored at {@code computed}. */
    public PerformanceBucket computedAt(Instant computed) {
        return new PerformanceBucket(modelName, modelVersion, kind, bucketStart, bucketEnd, sampleCount, labelledCount,
                accuracy, precision, recall, f1, rocAuc, mae, rmse, meanProbability, positiveRate, lowConfidenceShare,
                truePositives, falsePositives, falseNegatives, trueNegatives, computed);
    }
}
