package dev.keel.registry.service;

import dev.keel.common.features.FeatureSpec;
import dev.keel.common.features.FeatureType;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic rows made from a version's feature schema, for the gate to predict before production.
 * They are not realistic, they are awkward: zeros, negatives, large values, missing values, every
 * category code and both booleans, so a model that cannot take the inputs its schema promises
 * fails here rather than in front of traffic. Where the baseline statistics give a feature's
 * range ({@code baseline_stats[name].min/max}, or the feature's {@code min}/{@code max} in training's
 * format, a {@code features} list), values are drawn from it as well. Seeded, so a
 * failing gate fails the same way twice.
 */
final class SmokeSet {

    private static final long SEED = 0x6b65656cL;
    private static final float[] EDGE_VALUES = {0f, 1f, -1f, 0.5f, 1e6f, -1e6f, Float.NaN};

    private SmokeSet() {
    }

    /** Most rows a smoke set grows to for features with many categories. */
    private static final int MAX_ROWS = 4096;

    /**
     * How many rows the smoke set needs: {@code wanted}, or enough for every category code of the
     * schema's largest categorical feature to appear (twice, so the missing value every ninth row
     * cannot hide one), up to {@value #MAX_ROWS}.
     */
    static int rows(List<FeatureSpec> schema, int wanted) {
        int most = 0;
        for (FeatureSpec feature : schema) {
            if (feature.type() == FeatureType.CATEGORICAL) {
                most = Math.max(most, categories(feature));
            }
        }
        return Math.max(wanted, Math.min(MAX_ROWS, 2 * most));
    }

    /** {@code rows} rows of {@code schema.size()} values each, row-major, in schema order. */
    static float[] generate(List<FeatureSpec> schema, Map<String, Object> baselineStats, int rows) {
        int width = schema.size();
        float[] values = new float[rows * width];
        Random random = new Random(SEED);
        for (int f = 0; f < width; f++) {
            FeatureSpec feature = schema.get(f);
            double[] range = range(baselineStats, feature.name());
            for (int r = 0; r < rows; r++) {
                values[r * width + f] = switch (feature.type()) {
                    case NUMERIC -> numeric(r, random, range);
                    case BOOLEAN -> r % 9 == 8 ? Float.NaN : r % 2;
                    case CATEGORICAL -> r % 9 == 8 ? Float.NaN : r % categories(feature);
                };
            }
        }
        return values;
    }

    private static float numeric(int row, Random random, double[] range) {
        if (row < EDGE_VALUES.length) {
            return EDGE_VALUES[row];
        }
        if (range != null) {
            return (float) (range[0] + random.nextDouble() * (range[1] - range[0]));
        }
        return (float) (random.nextGaussian() * 100);
    }

    private static int categories(FeatureSpec feature) {
        return feature.categories() == null || feature.categories().isEmpty() ? 4 : feature.categories().size();
    }

    private static double[] range(Map<String, Object> baselineStats, String feature) {
        if (baselineStats == null) {
            return null;
        }
        Object stats = baselineStats.get(feature);
        if (!(stats instanceof Map<?, ?>) && baselineStats.get("features") instanceof Map<?, ?> features) {
            stats = features.get(feature);
        }
        if (!(stats instanceof Map<?, ?>) && baselineStats.get("features") instanceof List<?> features) {
            // training's format (common's BaselineStatistics): a list of features, each with its name
            stats = features.stream()
                    .filter(f -> f instanceof Map<?, ?> m && feature.equals(m.get("name")))
                    .findFirst().orElse(null);
        }
        if (stats instanceof Map<?, ?> map && map.get("min") instanceof Number min && map.get("max") instanceof Number max
                && Double.isFinite(min.doubleValue()) && Double.isFinite(max.doubleValue())
                && min.doubleValue() <= max.doubleValue()) {
            return new double[] {min.doubleValue(), max.doubleValue()};
        }
        return null;
    }
}
