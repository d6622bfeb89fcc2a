package dev.keel.common.stats.baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link BaselineStatistics} in one streaming pass: the caller reports every feature of a row
 * (a value or missing), then {@link #endRow()}. Memory is bounded per feature by the sample size and
 * a fixed histogram, whatever the number of rows; categorical features keep one counter per category.
 *
 * <p>Deterministic: the same values in the same order give the same statistics, sample included
 * (each feature's reservoir draws from its own generator seeded from the builder's seed).
 *
 * <p>Not thread-safe; one builder per pass.
 */
public final class BaselineStatisticsBuilder {

    /** Values kept in each numeric feature's uniform sample. */
    public static final int DEFAULT_SAMPLE_SIZE = 10_000;
    /** Seed of the reservoir sampling, fixed so that retraining on the same data gives the same baseline. */
    public static final long DEFAULT_SEED = 20_240_601L;

    private final List<FeatureSpec> features;
    private final Object[] accumulators;
    private long rows;

    public BaselineStatisticsBuilder(List<FeatureSpec> features) {
        this(features, DEFAULT_SAMPLE_SIZE, DEFAULT_SEED);
    }

    public BaselineStatisticsBuilder(List<FeatureSpec> features, int sampleSize, long seed) {
        if (sampleSize < 2) {
            throw new IllegalArgumentException("sample size must be at least 2, not " + sampleSize);
        }
        this.features = List.copyOf(features);
        Set<String> names = new HashSet<>();
        this.accumulators = new Object[this.features.size()];
        for (int i = 0; i < accumulators.length; i++) {
            FeatureSpec spec = this.features.get(i);
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("duplicate feature '" + spec.name() + "'");
            }
            accumulators[i] = switch (spec.type()) {
                case NUMERIC -> new NumericAccumulator(sampleSize, seed + 0x9E3779B97F4A7C15L * (i + 1));
                case CATEGORICAL, BOOLEAN -> new HashMap<String, long[]>();
            };
        }
    }

    /** Reports a numeric feature's value; NaN means missing. Infinite values are rejected. */
    public void addNumber(int feature, double value) {
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("feature '" + features.get(feature).name() + "' is infinite");
        }
        numeric(feature).add(value);
    }

    /** Reports a categorical feature's category; null means missing. */
    public void addCategory(int feature, String category) {
        requireType(feature, FeatureType.CATEGORICAL);
        count(feature, category);
    }

    /** Reports a boolean feature's value; null means missing. */
    public void addBoolean(int feature, Boolean value) {
        requireType(feature, FeatureType.BOOLEAN);
        count(feature, value == null ? null : value.toString());
    }

    /** Reports that a feature of any kind is missing in this row. */
    public void addMissing(int feature) {
        switch (features.get(feature).type()) {
            case NUMERIC -> numeric(feature).add(Double.NaN);
            case CATEGORICAL, BOOLEAN -> count(feature, null);
        }
    }

    /** Closes the current row; every feature must have been reported once since the last call. */
    public void endRow() {
        rows++;
    }

    public long rows() {
        return rows;
    }

    public BaselineStatistics build() {
        List<FeatureBaseline> out = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            FeatureSpec spec = features.get(i);
            FeatureBaseline baseline = switch (spec.type()) {
                case NUMERIC -> numeric(i).build(spec.name());
                case CATEGORICAL, BOOLEAN -> categorical(spec, counts(i));
            };
            if (baseline.count() + baseline.missing() != rows) {
                throw new IllegalStateException("feature '" + spec.name() + "' was reported "
                        + (baseline.count() + baseline.missing()) + " times in " + rows + " rows");
            }
            out.add(baseline);
        }
        return new BaselineStatistics(BaselineStatistics.FORMAT_VERSION, rows, out);
    }

    private static CategoricalBaseline categorical(FeatureSpec spec, Map<String, long[]> counts) {
        long[] missing = counts.get(null);
        Map<String, Long> categories = new HashMap<>();
        long present = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            if (e.getKey() != null) {
                categories.put(e.getKey(), e.getValue()[0]);
                present += e.getValue()[0];
            }
        }
        return new CategoricalBaseline(spec.name(), spec.type(), present, missing == null ? 0 : missing[0], categories);
    }

    private void count(int feature, String category) {
        counts(feature).computeIfAbsent(category, k -> new long[1])[0]++;
    }

    @SuppressWarnings("unchecked")
    private Map<String, long[]> counts(int feature) {
        return (Map<String, long[]>) accumulators[feature];
    }

    private NumericAccumulator numeric(int feature) {
        requireType(feature, FeatureType.NUMERIC);
        return (NumericAccumulator) accumulators[feature];
    }

    private void requireType(int feature, FeatureType type) {
        FeatureSpec spec = features.get(feature);
        if (spec.type() != type) {
            throw new IllegalArgumentException("feature '" + spec.name() + "' is " + spec.type().json() + ", not " + type.json());
        }
    }
}
