package dev.keel.drift.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A model version's reference: one entry per monitored feature, in the model's order. */
public record Baseline(long rowCount, List<FeatureReference> features) {

    public Baseline {
        features = List.copyOf(features);
    }

    public Optional<FeatureReference> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public Map<String, FeatureReference> byName() {
        Map<String, FeatureReference> map = new LinkedHashMap<>();
        features.forEach(f -> map.put(f.name(), f));
        return map;
    }
}
