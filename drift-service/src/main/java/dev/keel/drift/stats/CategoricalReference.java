package dev.keel.drift.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Category counts of a categorical or boolean feature (booleans as "true"/"false"). */
public record CategoricalReference(String name, long count, long missing, Map<String, Long> counts)
        implements FeatureReference {

    public CategoricalReference {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public static CategoricalReference of(String name, Map<String, Long> counts, long missing) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new CategoricalReference(name, total, missing, counts);
    }

    @Override
    public boolean numerical() {
        return false;
    }
}
