package dev.keel.drift.stats;

import dev.keel.common.stats.CsvBooleans;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The current data of every baseline feature, fed row by row by a
 * {@link DriftCalculator.CurrentData} scan: {@link #acceptRow} for JSON-like rows, or
 * {@link #value} per feature then {@link #endRow} on hot paths. Numerical values are staged in
 * blocks of {@value #BLOCK} rows and then consumed feature by feature, so each feature's
 * counters stay in cache, and full blocks are spread over the cores. The calculator runs a
 * second scan only when a feature needs Sturges bins; {@link #secondPass()} says which it is.
 */
public final class CurrentWindow {

    static final int BLOCK = 4096;

    private final Baseline baseline;
    private final NumericalWindow[] numerical;
    private final CategoricalWindow[] categorical;
    private final int[] numericalFeatures;
    private final double[][] staged;
    private final Map<String, Integer> index = new HashMap<>();
    private int stagedRows;
    private boolean secondPass;
    private long rows;

    CurrentWindow(Baseline baseline, DriftPolicy policy) {
        this.baseline = baseline;
        List<FeatureReference> features = baseline.features();
        this.numerical = new NumericalWindow[features.size()];
        this.categorical = new CategoricalWindow[features.size()];
        this.staged = new double[features.size()][];
        for (int i = 0; i < features.size(); i++) {
            FeatureReference f = features.get(i);
            index.put(f.name(), i);
            if (f instanceof NumericalReference n) {
                boolean deciles = policy.allMethods() || policy.choiceFor(f).method() == DriftMethod.PSI_QUANTILE;
                numerical[i] = new NumericalWindow(n, deciles);
                staged[i] = new double[BLOCK];
            } else if (f instanceof CategoricalReference c) {
                categorical[i] = new CategoricalWindow(c);
            }
        }
        this.numericalFeatures = IntStream.range(0, features.size()).filter(i -> numerical[i] != null).toArray();
    }

    /** One row of JSON-like features (numbers, strings, booleans, null); unknown names are ignored. */
    public void acceptRow(Map<String, ?> features) {
        List<FeatureReference> refs = baseline.features();
        for (int i = 0; i < refs.size(); i++) {
            Object value = features.get(refs.get(i).name());
            if (numerical[i] != null) {
                staged[i][stagedRows] = toDouble(value);
            } else if (!secondPass) {
                categorical[i].accept(categorical[i].booleans() ? toBooleanCategory(value) : toCategory(value));
            }
        }
        endRow();
    }

    /** The value of numerical feature {@code feature} in the row being fed (NaN when missing). */
    public void value(int feature, double x) {
        staged[feature][stagedRows] = x;
    }

    /** The value of categorical feature {@code feature} in the row being fed (null when missing). */
    public void category(int feature, String value) {
        if (!secondPass) {
            CategoricalWindow window = categorical[feature];
            window.accept(window.booleans() ? toBooleanCategory(value) : value);
        }
    }

    /**
     * Ends a row fed through {@link #value}/{@link #category}; every numerical feature must have
     * been given a value (NaN for missing).
     */
    public void endRow() {
        if (!secondPass) {
            rows++;
        }
        if (++stagedRows == BLOCK) {
            flush();
        }
    }

    public boolean secondPass() {
        return secondPass;
    }

    public int featureIndex(String name) {
        return index.getOrDefault(name, -1);
    }

    public int featureCount() {
        return numerical.length;
    }

    public boolean isNumerical(int feature) {
        return numerical[feature] != null;
    }

    NumericalWindow numerical(int feature) {
        return numerical[feature];
    }

    CategoricalWindow categorical(int feature) {
        return categorical[feature];
    }

    long rows() {
        return rows;
    }

    /** Consumes the staged block; called when it fills and by the calculator after each scan. */
    void flush() {
        int length = stagedRows;
        stagedRows = 0;
        if (length == 0) {
            return;
        }
        IntStream features = IntStream.of(numericalFeatures);
        if (length == BLOCK && numericalFeatures.length > 1) {
            features = features.parallel();
        }
        features.forEach(i -> {
            if (secondPass) {
                numerical[i].acceptAllSecondPass(staged[i], length);
            } else {
                numerical[i].acceptAll(staged[i], length);
            }
        });
    }

    void startSecondPass() {
        flush();
        secondPass = true;
    }

    static double toDouble(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /**
     * A boolean feature's value as the baseline's category: "true" or "false" for a boolean, a
     * number equal to 1 or 0 (1, 1.0, "1", "0.0"), or a word training reads as one in a CSV
     * (true/false, yes/no, t/f, y/n, in any case). Clients send booleans as 0/1 and inference logs
     * them as sent, while training counted them as true/false; anything else stays its own
     * category, as for any categorical feature, and shows as drift.
     */
    static String toBooleanCategory(Object value) {
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == 1 ? "true" : d == 0 ? "false" : toCategory(value);
        }
        if (value instanceof String s) {
            Boolean b = CsvBooleans.bool(s);   // as training read the CSV its baseline came from
            return b != null ? b.toString() : toCategory(value);
        }
        return toCategory(value);
    }

    static String toCategory(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            // 1.0 and 1 are the same category, as a training CSV would have written it
            return Long.toString(d.longValue());
        }
        String s = value.toString();
        return s.isEmpty() ? null : s;
    }
}
