package dev.keel.common.stats.baseline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The reference distribution of one feature. Numeric features keep moments, quantiles, a histogram
 * and a uniform sample; categorical and boolean ones keep a count per category. The JSON
 * {@code type} field says which, so a reader needs no schema of its own.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = NumericBaseline.class, name = "numeric"),
        @JsonSubTypes.Type(value = CategoricalBaseline.class, names = {"categorical", "boolean"})
})
public sealed interface FeatureBaseline permits NumericBaseline, CategoricalBaseline {

    String name();

    FeatureType type();

    /** Values present (not missing). */
    long count();

    /** Values missing: empty cells, NA, NaN. */
    long missing();
}
