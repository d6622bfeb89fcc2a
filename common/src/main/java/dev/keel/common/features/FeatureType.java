package dev.keel.common.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How a feature is fed to the model: a number, a category code, or 0/1. */
public enum FeatureType {
    NUMERIC,
    CATEGORICAL,
    BOOLEAN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FeatureType fromJson(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown feature type '" + name + "'"));
    }
}
