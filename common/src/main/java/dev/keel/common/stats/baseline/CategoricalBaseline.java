package dev.keel.common.stats.baseline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A categorical or boolean feature's reference distribution: how often each category occurred,
 * sorted by category. Boolean features use the categories {@code "false"} and {@code "true"}
 * (a model row encodes them as 0 and 1).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CategoricalBaseline(
        String name,
        FeatureType type,
        long count,
        long missing,
        Map<String, Long> categoryCounts) implements FeatureBaseline {

    public CategoricalBaseline {
        if (type == FeatureType.NUMERIC) {
            throw new IllegalArgumentException("a categorical baseline has type categorical or boolean, not numeric");
        }
        categoryCounts = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(categoryCounts)));
    }

    /** The share of present values in a category; 0 for a category never seen. */
    public double frequency(String category) {
        return count == 0 ? 0 : categoryCounts.getOrDefault(category, 0L) / (double) count;
    }
}
