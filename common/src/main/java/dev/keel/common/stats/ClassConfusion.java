package dev.keel.common.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The confusion counts of a multi-class classifier's labelled predictions, fed as (predicted class,
 * true class, count) cells, and the metrics read off them as scikit-learn computes them with
 * {@code average="macro", zero_division=0}: per class (every class that was predicted or labelled)
 * one-vs-rest precision, recall and F1, a class's undefined ratio counted as 0, then their
 * unweighted mean. Accuracy is the share of predictions that name the true class. Every metric is
 * {@code null} when nothing was fed.
 */
public final class ClassConfusion {

    /** true class -> predicted class -> count, both ascending */
    private final Map<Double, Map<Double, Long>> cells = new TreeMap<>();
    private long total;

    public void add(double predicted, double actual, long count) {
        cells.computeIfAbsent(actual, k -> new TreeMap<>()).merge(predicted, count, Long::sum);
        cells.computeIfAbsent(predicted, k -> new TreeMap<>());
        total += count;
    }

    public long total() {
        return total;
    }

    public Double accuracy() {
        if (total == 0) {
            return null;
        }
        long correct = 0;
        for (Map.Entry<Double, Map<Double, Long>> row : cells.entrySet()) {
            correct += row.getValue().getOrDefault(row.getKey(), 0L);
        }
        return correct / (double) total;
    }

    public Double macroPrecision() {
        return macro(Metric.PRECISION);
    }

    public Double macroRecall() {
        return macro(Metric.RECALL);
    }

    public Double macroF1() {
        return macro(Metric.F1);
    }

    /** Every class predicted or labelled, ascending: the rows and columns of {@link #matrix()}. */
    public List<Double> classes() {
        return new ArrayList<>(cells.keySet());
    }

    /** Counts with rows the true class and columns the predicted one, both in {@link #classes()} order (scikit-learn's layout). */
    public List<List<Long>> matrix() {
        List<Double> classes = classes();
        List<List<Long>> rows = new ArrayList<>();
        for (Double actual : classes) {
            Map<Double, Long> row = cells.get(actual);
            rows.add(classes.stream().map(p -> row.getOrDefault(p, 0L)).toList());
        }
        return rows;
    }

    private enum Metric { PRECISION, RECALL, F1 }

    private Double macro(Metric metric) {
        if (total == 0) {
            return null;
        }
        Map<Double, Long> predicted = new TreeMap<>();
        cells.values().forEach(row -> row.forEach((p, n) -> predicted.merge(p, n, Long::sum)));
        double sum = 0;
        for (Map.Entry<Double, Map<Double, Long>> row : cells.entrySet()) {
            long tp = row.getValue().getOrDefault(row.getKey(), 0L);
            long actual = row.getValue().values().stream().mapToLong(Long::longValue).sum();
            long named = predicted.getOrDefault(row.getKey(), 0L);
            sum += switch (metric) {
                case PRECISION -> named == 0 ? 0 : tp / (double) named;
                case RECALL -> actual == 0 ? 0 : tp / (double) actual;
                case F1 -> named + actual == 0 ? 0 : 2.0 * tp / (named + actual);
            };
        }
        return sum / cells.size();
    }
}
