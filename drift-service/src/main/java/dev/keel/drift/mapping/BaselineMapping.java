package dev.keel.drift.mapping;

import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.common.stats.baseline.CategoricalBaseline;
import dev.keel.common.stats.baseline.FeatureBaseline;
import dev.keel.common.stats.baseline.FeatureType;
import dev.keel.common.stats.baseline.NumericBaseline;
import dev.keel.drift.stats.Baseline;
import dev.keel.drift.stats.CategoricalReference;
import dev.keel.drift.stats.FeatureReference;
import dev.keel.drift.stats.NumericalReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The training service's stored baseline (a model version's {@code baseline_stats}) as the drift
 * statistics' reference. Numeric features without any present value cannot be compared and are
 * left out; the report then simply has no row for them.
 */
public final class BaselineMapping {

    private BaselineMapping() {
    }

    public static Baseline toBaseline(BaselineStatistics stats) {
        List<FeatureReference> features = new ArrayList<>();
        for (FeatureBaseline f : stats.features()) {
            if (f instanceof NumericBaseline n) {
                if (n.count() == 0 || n.sample().isEmpty() || n.mean() == null) {
                    continue;
                }
                double[] sample = n.sample().stream().mapToDouble(Double::doubleValue).toArray();
                features.add(new NumericalReference(n.name(), n.count(), n.missing(), n.mean(), n.std(), n.min(),
                        n.max(), sample));
            } else if (f instanceof CategoricalBaseline c) {
                features.add(new CategoricalReference(c.name(), c.count(), c.missing(), c.categoryCounts(),
                        c.type() == FeatureType.BOOLEAN && spelledTrueFalse(c)));
            }
        }
        return new Baseline(stats.referenceRows(), features);
    }

    /**
     * Whether a boolean feature's baseline counts its values as training writes them, "true" and
     * "false": only then are live values read as those words. A baseline made elsewhere that counts
     * "0"/"1" or "yes"/"no" is compared as it is spelled, value for value, as before.
     */
    private static boolean spelledTrueFalse(CategoricalBaseline c) {
        return !c.categoryCounts().isEmpty()
                && c.categoryCounts().keySet().stream().allMatch(k -> k.equals("true") || k.equals("false"));
    }
}
