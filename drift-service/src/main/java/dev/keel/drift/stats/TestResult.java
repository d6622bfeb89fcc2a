package dev.keel.drift.stats;

/** A statistic and, for hypothesis tests, its p-value ({@code NaN} for plain distances). */
public record TestResult(double statistic, double pValue) {

    public static TestResult distance(double value) {
        return new TestResult(value, Double.NaN);
    }

    public boolean hasPValue() {
        return !Double.isNaN(pValue);
    }
}
