package dev.keel.drift.stats;

/**
 * A binary confusion matrix and the metrics read off it. Counts are doubles because an estimated
 * matrix (confidence-based) holds expected counts. A metric whose denominator is zero is
 * undefined and answered as {@code null}, never as 0 or NaN.
 */
public record ConfusionMatrix(double truePositives, double falsePositives, double falseNegatives,
                              double trueNegatives) {

    public static final ConfusionMatrix EMPTY = new ConfusionMatrix(0, 0, 0, 0);

    public double total() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    public ConfusionMatrix plus(ConfusionMatrix other) {
        return new ConfusionMatrix(truePositives + other.truePositives, falsePositives + other.falsePositives,
                falseNegatives + other.falseNegatives, trueNegatives + other.trueNegatives);
    }

    public Double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    public Double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    public Double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, defined even when one of them is not. */
    public Double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    private static Double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : null;
    }
}
