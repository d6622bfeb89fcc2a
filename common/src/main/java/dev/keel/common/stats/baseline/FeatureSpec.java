package dev.keel.common.stats.baseline;

import java.util.Objects;

/** A feature the {@link BaselineStatisticsBuilder} is told about up front: its name and kind. */
public record FeatureSpec(String name, FeatureType type) {

    public FeatureSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
