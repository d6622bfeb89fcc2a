package dev.keel.training.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.common.stats.baseline.FeatureType;
import java.util.List;

/**
 * A dataset column as inferred from its values, and, for feature columns, the feature schema entry
 * the registry and the inference runtime share: a categorical value is fed to the model as its
 * index in {@code categories} (sorted), a boolean as 0 or 1, a number as itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSpec(String name, FeatureType type, List<String> categories) {

    public ColumnSpec {
        categories = categories == null ? null : List.copyOf(categories);
    }

    public static ColumnSpec numeric(String name) {
        return new ColumnSpec(name, FeatureType.NUMERIC, null);
    }

    public static ColumnSpec bool(String name) {
        return new ColumnSpec(name, FeatureType.BOOLEAN, null);
    }

    public static ColumnSpec categorical(String name, List<String> sortedCategories) {
        return new ColumnSpec(name, FeatureType.CATEGORICAL, sortedCategories);
    }
}
