package dev.keel.drift.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.drift.stats.ConfusionMatrix;
import java.time.Instant;

/**
 * One stored row of {@code performance_metrics}: a model version's quality in one time bucket,
 * realized from feedback labels or estimated (confidence-based) before they arrive. Metrics whose
 * denominator is zero are null. For an estimated row the confusion-matrix counts and
 * {@code roc_auc} are expected values from the calibrated probabilities.
 */
public record PerformanceBucket(String modelName, int modelVersion, Kind kind, Instant bucketStart, Instant bucketEnd,
                                long sampleCount, long labelledCount, Double accuracy,
                                @JsonProperty("precision") Double precision, Double recall, Double f1, Double rocAuc,
                                Double meanProbability, Double positiveRate, Double lowConfidenceShare,
                                Double truePositives, Double falsePositives, Double falseNegatives,
                                Double trueNegatives, Instant computedAt) {

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

    static PerformanceBucket of(String model, int version, Kind kind, Instant start, Instant end, long samples,
                                long labelled, ConfusionMatrix m, Double rocAuc, Double meanProbability,
                                Double positiveRate, Double lowConfidenceShare) {
        return new PerformanceBucket(model, version, kind, start, end, samples, labelled, m.accuracy(), m.precision(),
                m.recall(), m.f1(), rocAuc, meanProbability, positiveRate, lowConfidenceShare, m.truePositives(),
                m.falsePositives(), m.falseNegatives(), m.trueNegatives(), null);
    }
}
