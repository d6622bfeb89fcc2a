package dev.keel.drift.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Category counts of a categorical or boolean feature. A boolean feature's categories are "true"
 * and "false" (common's baseline format), whatever form its live values take; {@code booleans}
 * says to read them so ({@link CurrentWindow#toBooleanCategory}).
 */
public record CategoricalReference(String name, long count, long missing, Map<String, Long> counts, boolean booleans)
        implements FeatureReference {

    public CategoricalReference {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public static CategoricalReference of(String name, Map<String, Long> counts, long missing) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new CategoricalReference(name, total, missing, counts, false);
    }

    /** A boolean feature's reference: counts keyed "true" and "false". */
    public static CategoricalReference ofBooleans(String name, long trues, long falses, long missing) {
        return new CategoricalReference(name, trues + falses, missing, Map.of("false", falses, "true", trues), true);
    }

    @Override
    public boolean numerical() {
        return false;
    }
}
